import { copyFile, lstat, mkdir, readdir, readlink, realpath, symlink } from 'node:fs/promises';
import path from 'node:path';
import { invalid } from '../api/errors.js';

/** Most files and bytes a fixture may hold: a fixture is a small starting point, not a disk image. */
const MAX_FILES = 20_000;
const MAX_BYTES = 512 * 1024 * 1024;

/**
 * Copies a case's workspace fixture into a fresh folder for one trial; the fixture itself is never
 * touched. Host-side code treats the fixture by the boundary rules: nothing is followed out of it.
 * Regular files and folders are copied; a symlink is copied as a link only when its target stays
 * inside the fixture (else the copy fails naming it); FIFOs, sockets and devices are refused, never
 * opened. Modes are kept; owners are not changed.
 */
export async function copyFixture(from: string, to: string): Promise<void> {
  const root = await realpath(from);
  await mkdir(to, { recursive: true });
  const budget = { files: 0, bytes: 0 };
  await copyDir(root, root, to, budget);
}

async function copyDir(
  root: string,
  dir: string,
  target: string,
  budget: { files: number; bytes: number },
): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const source = path.join(dir, entry.name);
    const destination = path.join(target, entry.name);
    const info = await lstat(source);
    budget.files += 1;
    budget.bytes += info.size;
    if (budget.files > MAX_FILES || budget.bytes > MAX_BYTES) {
      throw invalid(
        `workspace fixture ${root} is larger than ${MAX_FILES} files or ${MAX_BYTES / 1024 / 1024} MB; keep fixtures small (generate big files in a command check or in the task)`,
      );
    }
    if (info.isDirectory()) {
      await mkdir(destination, { mode: info.mode & 0o7777 });
      await copyDir(root, source, destination, budget);
    } else if (info.isFile()) {
      await copyFile(source, destination);
    } else if (info.isSymbolicLink()) {
      const link = await readlink(source);
      const resolved = path.resolve(path.dirname(source), link);
      if (path.isAbsolute(link) || (resolved !== root && !resolved.startsWith(`${root}${path.sep}`))) {
        throw invalid(
          `workspace fixture ${root}: symlink ${path.relative(root, source)} points outside the fixture (${link}); make it a relative link inside the fixture or copy the file in`,
        );
      }
      await symlink(link, destination);
    } else {
      throw invalid(
        `workspace fixture ${root}: ${path.relative(root, source)} is not a file, folder or symlink (a FIFO, socket or device); remove it from the fixture`,
      );
    }
  }
}

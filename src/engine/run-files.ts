import path from 'node:path';
import type { RunFileEntry } from '../api/contract.js';
import { invalid, notFound, RunToolsError } from '../api/errors.js';
import { SandboxError } from '../sandbox/errors.js';
import { listDirInside, readInside, realRoot, UnsafeFileError } from '../sandbox/safe-fs.js';
import type { Sandbox } from '../sandbox/types.js';
import type { ResolvedMount } from '../store/runs.js';
import { toSandboxPath } from './run-paths.js';

/** The largest file `run.files.read` returns. */
const MAX_READ_BYTES = 16 * 1024 * 1024;
/** The most entries one listing returns. */
const MAX_LIST_ENTRIES = 10_000;

/**
 * A run's files. While its container is up (`live`), they are read through it, so what the
 * caller sees is what the agent sees and the kernel enforces the mounts. Otherwise (the run
 * ended, or the local sandbox) they are read from the host side of the mounts by the host-side
 * rule of src/sandbox/safe-fs.ts: no symlink followed, nothing but regular files opened, nothing
 * read past a cap, nothing that can block.
 */
export async function listRunFiles(
  runId: string,
  mounts: ResolvedMount[],
  dir: string,
  live?: Sandbox,
): Promise<RunFileEntry[]> {
  const sandboxDir = toSandboxPath(dir, mounts);
  if (live) {
    try {
      const real = await insideMounts(live, sandboxDir, mounts);
      const entries = await live.list(real);
      return entries.slice(0, MAX_LIST_ENTRIES).map((e) => ({
        name: e.name,
        path: path.posix.join(sandboxDir, e.name),
        type: e.type,
        size: e.size,
      }));
    } catch (error) {
      if (!(error instanceof SandboxError))
        throw asApiError(error, `"${sandboxDir}" is not a directory in run ${runId}`);
      // The container went away meanwhile: read the host side.
    }
  }
  const { root, rel } = await hostSide(sandboxDir, mounts);
  const listed = await listDirInside(root, rel, { maxEntries: MAX_LIST_ENTRIES });
  if (!listed)
    throw notFound(
      `"${sandboxDir}" is not a directory in run ${runId} (or is a symlink, which is not followed)`,
    );
  return listed.entries.map(({ name, type, stats }) => ({
    name,
    path: path.posix.join(sandboxDir, name),
    type,
    size: type === 'file' ? (stats?.size ?? 0) : 0,
  }));
}

export async function readRunFile(
  runId: string,
  mounts: ResolvedMount[],
  file: string,
  live?: Sandbox,
): Promise<string> {
  const sandboxPath = toSandboxPath(file, mounts);
  const missing = `no file "${sandboxPath}" in run ${runId}`;
  if (live) {
    try {
      const real = await insideMounts(live, sandboxPath, mounts);
      const entry = await live.stat(real);
      if (!entry) throw notFound(`${missing}; list files with run.files.list('/')`);
      if (entry.size > MAX_READ_BYTES) throw tooLarge(sandboxPath, entry.size);
      return (await live.readFile(real)).toString('utf8');
    } catch (error) {
      if (!(error instanceof SandboxError)) throw asApiError(error, missing);
    }
  }
  const { root, rel } = await hostSide(sandboxPath, mounts);
  try {
    return (await readInside(root, rel, { maxBytes: MAX_READ_BYTES })).toString('utf8');
  } catch (error) {
    throw asApiError(error, missing);
  }
}

/**
 * Reads a file of a run's mounts from the host by the host-side rule (the engine's reader of
 * context files, before the run's first turn).
 */
export async function readMountedFile(
  mounts: readonly ResolvedMount[],
  sandboxPath: string,
): Promise<string> {
  const { root, rel } = await hostSide(sandboxPath, mounts);
  return (await readInside(root, rel, { maxBytes: MAX_READ_BYTES })).toString('utf8');
}

/** The mount root's real path and the path relative to it; `..` cannot leave it. */
async function hostSide(
  sandboxPath: string,
  mounts: readonly ResolvedMount[],
): Promise<{ root: string; rel: string }> {
  const mount = mountFor(sandboxPath, mounts);
  let root: string;
  try {
    root = await realRoot(mount.hostPath);
  } catch {
    throw notFound(`the folder behind ${mount.path} (${mount.hostPath}) no longer exists`);
  }
  return { root, rel: sandboxPath.slice(mount.path.length).replace(/^\/+/, '') };
}

function mountFor(sandboxPath: string, mounts: readonly ResolvedMount[]): ResolvedMount {
  const mount = [...mounts]
    .sort((a, b) => b.path.length - a.path.length)
    .find((m) => sandboxPath === m.path || sandboxPath.startsWith(`${m.path}/`));
  if (!mount) {
    throw invalid(`"${sandboxPath}" is outside the run's mounts (${mounts.map((m) => m.path).join(', ')})`);
  }
  return mount;
}

/** The path as the container resolves it, refused when a symlink leads it out of the mounts. */
async function insideMounts(
  live: Sandbox,
  sandboxPath: string,
  mounts: readonly ResolvedMount[],
): Promise<string> {
  const real = await live.realpath(sandboxPath);
  if (!mounts.some((m) => real === m.path || real.startsWith(`${m.path}/`))) {
    throw invalid(
      `"${sandboxPath}" leads through a symlink to ${real}, outside the run's mounts; only files inside them can be read`,
    );
  }
  return real;
}

function tooLarge(sandboxPath: string, size: number): RunToolsError {
  return invalid(
    `"${sandboxPath}" is ${size} bytes, over the ${MAX_READ_BYTES}-byte limit of run.files.read; read it from the workspace folder instead`,
  );
}

/** A refused or failed read as the API error it is, with what to do. */
function asApiError(error: unknown, missing: string): Error {
  if (error instanceof RunToolsError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const message = (error as Error).message;
  if (error instanceof UnsafeFileError) {
    if (code === 'ENOENT') return notFound(`${missing}; list files with run.files.list('/')`);
    if (code === 'EFBIG') return invalid(`${message}; read it from the workspace folder instead`);
    return invalid(`${missing} that can be read: ${message}`);
  }
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return notFound(`${missing} (${code}); list files with run.files.list('/')`);
  if (code) return invalid(`${missing} that can be read (${code}: ${message})`);
  return error as Error;
}

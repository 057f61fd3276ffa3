import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RunFileEntry } from '../api/contract.js';
import { notFound } from '../api/errors.js';
import type { ResolvedMount } from '../store/runs.js';
import { toHostPath, toSandboxPath } from './run-paths.js';

/**
 * A run's files are read from the host side of its mounts, so the same call works while the run's
 * container is up and after it is gone.
 */
export async function listRunFiles(
  runId: string,
  mounts: ResolvedMount[],
  dir: string,
): Promise<RunFileEntry[]> {
  const sandboxDir = toSandboxPath(dir, mounts);
  const hostDir = toHostPath(sandboxDir, mounts);
  let names: string[];
  try {
    names = await readdir(hostDir);
  } catch (error) {
    throw notFound(
      `"${sandboxDir}" is not a directory in run ${runId} (${(error as NodeJS.ErrnoException).code})`,
    );
  }
  return Promise.all(
    names.sort().map(async (name): Promise<RunFileEntry> => {
      const info = await stat(path.join(hostDir, name)).catch(() => undefined);
      return {
        name,
        path: path.posix.join(sandboxDir, name),
        type: !info ? 'other' : info.isDirectory() ? 'directory' : info.isFile() ? 'file' : 'other',
        size: info?.size ?? 0,
      };
    }),
  );
}

export async function readRunFile(runId: string, mounts: ResolvedMount[], file: string): Promise<string> {
  const sandboxPath = toSandboxPath(file, mounts);
  try {
    return await readFile(toHostPath(sandboxPath, mounts), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code)
      throw notFound(
        `no file "${sandboxPath}" in run ${runId} (${code}); list files with run.files.list('/')`,
      );
    throw error;
  }
}

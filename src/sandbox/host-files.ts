import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { FileEntry } from './types.js';

function typeOf(stats: {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}): FileEntry['type'] {
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isDirectory()) return 'directory';
  if (stats.isFile()) return 'file';
  return 'other';
}

/** A host file as a sandbox `FileEntry`, or null when it does not exist. */
export async function hostStat(hostPath: string, sandboxPath: string): Promise<FileEntry | null> {
  try {
    const stats = await lstat(hostPath);
    return {
      name: path.posix.basename(sandboxPath),
      path: sandboxPath,
      type: typeOf(stats),
      size: stats.size,
      mtimeMs: stats.mtimeMs,
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** A host directory's entries as sandbox entries, sorted by name. */
export async function hostList(hostDir: string, sandboxDir: string): Promise<FileEntry[]> {
  const names = (await readdir(hostDir)).sort();
  const entries: FileEntry[] = [];
  for (const name of names) {
    const entry = await hostStat(path.join(hostDir, name), path.posix.join(sandboxDir, name));
    if (entry) entries.push(entry);
  }
  return entries;
}

/** Ports in LISTEN state (`0A`) in the text of /proc/net/tcp and /proc/net/tcp6. */
export function listeningFromProcNet(text: string): Set<number> {
  const ports = new Set<number>();
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[3] !== '0A' || !fields[1]) continue;
    const port = Number.parseInt(fields[1].split(':')[1] ?? '', 16);
    if (Number.isFinite(port)) ports.add(port);
  }
  return ports;
}

/**
 * The file server's entries (`<type>\t<size>\t<mtime s>\t<name>\0`, type as find's %y) as
 * sandbox entries under `dir`.
 */
export function parseEntries(text: string, dir: string): FileEntry[] {
  const types: Record<string, FileEntry['type']> = { f: 'file', d: 'directory', l: 'symlink' };
  return text
    .split('\0')
    .filter(Boolean)
    .map((record) => {
      const [type = '', size = '0', mtime = '0', ...rest] = record.split('\t');
      const name = rest.join('\t');
      return {
        name,
        path: path.posix.join(dir, name),
        type: types[type] ?? 'other',
        size: Number(size),
        mtimeMs: Math.round(Number(mtime) * 1000),
      };
    });
}

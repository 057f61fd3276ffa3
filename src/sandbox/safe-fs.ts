import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  type Stats,
} from 'node:fs';
import { lstat, open, readdir, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';

/**
 * THE HOST-SIDE RULE. A workspace is hostile input: an agent wrote it. Everything on the host that
 * looks into a mount goes through this module, which
 * - never follows a symlink (lstat for every component; O_NOFOLLOW on the open),
 * - never opens anything but a regular file (lstat first, then fstat of the opened descriptor),
 * - never reads outside the real path of the mount root (the opened descriptor's own path is
 *   checked, so a symlink swapped in between the check and the open does not win),
 * - never blocks on a file (O_NONBLOCK: opening a FIFO returns at once, and is then refused),
 * - never reads past a cap.
 */

/** Why a host-side read refused a path; `code` is errno-like so callers can map it. */
export class UnsafeFileError extends Error {
  constructor(
    readonly code: 'ENOENT' | 'ESYMLINK' | 'ENOTREG' | 'EOUTSIDE' | 'EFBIG' | 'EISDIR',
    message: string,
  ) {
    super(message);
    this.name = 'UnsafeFileError';
  }
}

/** Default cap of one host-side file read. */
export const MAX_READ_BYTES = 16 * 1024 * 1024;

const OPEN_FLAGS =
  constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0);

/** `/proc/self/fd` names the file a descriptor really is; only Linux has it. */
const HAS_PROC_FD = process.platform === 'linux';

export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

export function entryType(stats: Pick<Stats, 'isFile' | 'isDirectory' | 'isSymbolicLink'>): EntryType {
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isDirectory()) return 'directory';
  if (stats.isFile()) return 'file';
  return 'other';
}

/** The real path of a mount root (the root itself is the user's choice, so it may be a link). */
export async function realRoot(root: string): Promise<string> {
  return realpath(path.resolve(root));
}

/**
 * `rel` (relative to `rootReal`, `/`- or native-separated) as an absolute host path, refused when
 * `..` would take it out of the root.
 */
export function joinInside(rootReal: string, rel: string): string {
  const target = path.resolve(rootReal, `.${path.sep}${rel.split('/').join(path.sep)}`);
  if (target !== rootReal && !target.startsWith(`${rootReal}${path.sep}`)) {
    throw new UnsafeFileError('EOUTSIDE', `${rel} leads outside its mount`);
  }
  return target;
}

/**
 * lstat of `target` inside the root, where no folder on the way may be a symlink (or not a
 * folder); the last component itself is not followed either. Null when something is missing.
 */
async function lstatNoFollow(rootReal: string, target: string, shown: string): Promise<Stats | null> {
  const rel = path.relative(rootReal, target);
  let current = rootReal;
  let stats: Stats = await lstat(rootReal);
  for (const part of rel ? rel.split(path.sep) : []) {
    if (stats.isSymbolicLink()) {
      throw new UnsafeFileError(
        'ESYMLINK',
        `${shown} goes through a symlink; host-side reads never follow symlinks`,
      );
    }
    if (!stats.isDirectory()) return null;
    current = path.join(current, part);
    try {
      stats = await lstat(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw error;
    }
  }
  return stats;
}

/**
 * lstat of a path inside a mount root (the path itself not followed); null when it does not
 * exist. A symlink among its parent folders is refused (UnsafeFileError ESYMLINK).
 */
export async function lstatInside(rootReal: string, rel: string): Promise<Stats | null> {
  return lstatNoFollow(rootReal, joinInside(rootReal, rel), rel);
}

/**
 * Reads a regular file inside a mount root by the rule above. Throws UnsafeFileError for a
 * symlink anywhere on the path, a FIFO, socket or device, a path leaving the root, or a file over
 * `maxBytes`; ENOENT as UnsafeFileError too.
 */
export async function readInside(
  rootReal: string,
  rel: string,
  options: { maxBytes?: number } = {},
): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? MAX_READ_BYTES;
  const target = joinInside(rootReal, rel);
  const stats = await lstatNoFollow(rootReal, target, rel);
  if (!stats) throw new UnsafeFileError('ENOENT', `${rel} does not exist`);
  if (stats.isDirectory()) throw new UnsafeFileError('EISDIR', `${rel} is a folder`);
  if (!stats.isFile()) throw notRegular(rel, entryType(stats));
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(target, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ELOOP: the last component became a symlink after the lstat above.
    if (code === 'ELOOP' || code === 'EMLINK')
      throw new UnsafeFileError('ESYMLINK', `${rel} became a symlink; not followed`);
    if (code === 'ENOENT') throw new UnsafeFileError('ENOENT', `${rel} does not exist`);
    throw error;
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) throw notRegular(rel, entryType(opened));
    await checkOpenedWhere(handle.fd, target, opened, rel);
    if (opened.size > maxBytes) {
      throw new UnsafeFileError('EFBIG', `${rel} is ${opened.size} bytes, over the ${maxBytes}-byte cap`);
    }
    return await readCapped(handle, maxBytes, rel, opened.size);
  } finally {
    await handle.close();
  }
}

function notRegular(rel: string, type: EntryType): UnsafeFileError {
  const what = type === 'symlink' ? 'a symlink' : 'not a regular file (a FIFO, socket or device)';
  return new UnsafeFileError(type === 'symlink' ? 'ESYMLINK' : 'ENOTREG', `${rel} is ${what}; not read`);
}

/**
 * The descriptor must be the file at `target`: a folder on the path swapped for a symlink between
 * the lstat walk and the open would otherwise have led the open elsewhere.
 */
async function checkOpenedWhere(fd: number, target: string, opened: Stats, rel: string): Promise<void> {
  let where: string;
  if (HAS_PROC_FD) {
    where = await readlink(`/proc/self/fd/${fd}`);
  } else {
    // Without /proc: the path must still resolve to itself and to the very inode we opened.
    where = await realpath(target).catch(() => '');
    const now = where ? await lstat(where).catch(() => null) : null;
    if (!now || now.ino !== opened.ino || now.dev !== opened.dev) where = '';
  }
  if (where !== target) {
    throw new UnsafeFileError('EOUTSIDE', `${rel} changed while being opened (a symlink was swapped in)`);
  }
}

async function readCapped(
  handle: Awaited<ReturnType<typeof open>>,
  maxBytes: number,
  rel: string,
  size: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    // Sized from the file's size (one byte over, to see it grow): a 1 MB buffer for every small
    // file made a 1,500-file change baseline mostly allocation and GC.
    const want = Math.min(READ_CHUNK, maxBytes + 1 - total, Math.max(size - total + 1, MIN_READ_CHUNK));
    const chunk = Buffer.allocUnsafe(want);
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) {
      throw new UnsafeFileError('EFBIG', `${rel} grew past the ${maxBytes}-byte cap while being read`);
    }
    // A short read that reached the size fstat gave is the end of a regular file on disk: no read
    // to see 0. Files of size 0 (in /proc) may read short before their end, so they read on.
    if (bytesRead < chunk.length && size > 0 && total >= size) break;
  }
  return Buffer.concat(chunks, total);
}

const READ_CHUNK = 1024 * 1024;
const MIN_READ_CHUNK = 4096;

/** A symlink's target as text (never followed), capped: what git stores for a link. */
export async function readLinkInside(rootReal: string, rel: string): Promise<string> {
  const target = joinInside(rootReal, rel);
  const stats = await lstatNoFollow(rootReal, target, rel);
  if (!stats) throw new UnsafeFileError('ENOENT', `${rel} does not exist`);
  if (!stats.isSymbolicLink()) throw new UnsafeFileError('ENOTREG', `${rel} is not a symlink`);
  return (await readlink(target)).slice(0, 4096);
}

/** One entry of a folder listed by `listDirInside`: its type (never followed), and lstat when asked. */
export interface DirEntry {
  name: string;
  type: EntryType;
  /** Present for files and symlinks, up to `maxStats` of them. */
  stats?: Stats;
}

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * The entries of a folder inside a mount root, or null when `rel` is not a folder (or is, or goes
 * through, a symlink). The folder is opened first (O_NOFOLLOW) and, on Linux, listed and stat'ed
 * through its descriptor, so a folder swapped for a symlink mid-walk lists nothing of where the
 * link points. At most `maxEntries` entries are returned (`more` says so), and files and symlinks
 * are lstat'ed up to `maxStats` of them (a huge folder costs one readdir, not one stat per entry).
 */
export async function listDirInside(
  rootReal: string,
  rel: string,
  limits: { maxEntries?: number; maxStats?: number } = {},
): Promise<{ entries: DirEntry[]; more: boolean } | null> {
  const target = joinInside(rootReal, rel);
  // A folder replaced by rename(2) between the open and the check (a warm container's fresh
  // folder taking a run's empty one) is listed again from its new self, not reported missing.
  for (let attempt = 1; ; attempt++) {
    const listed = await listOpenedDir(target, limits);
    if (listed !== REPLACED) return listed;
    if (attempt === MAX_REPLACED_RETRIES) return null;
  }
}

const REPLACED = Symbol('replaced');
const MAX_REPLACED_RETRIES = 10;

async function listOpenedDir(
  target: string,
  limits: { maxEntries?: number; maxStats?: number },
): Promise<{ entries: DirEntry[]; more: boolean } | null | typeof REPLACED> {
  const maxEntries = limits.maxEntries ?? Number.POSITIVE_INFINITY;
  const maxStats = limits.maxStats ?? Number.POSITIVE_INFINITY;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(target, DIR_FLAGS);
  } catch {
    // ELOOP (a symlink), ENOTDIR, ENOENT: nothing to list here.
    return null;
  }
  try {
    let base = target;
    if (HAS_PROC_FD) {
      const opened = await readlink(`/proc/self/fd/${handle.fd}`);
      if (opened === `${target} (deleted)`) return REPLACED;
      if (opened !== target) return null;
      base = `/proc/self/fd/${handle.fd}`;
    } else if ((await realpath(target).catch(() => '')) !== target) {
      return null;
    }
    const dirents = (await readdir(base, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    const more = dirents.length > maxEntries;
    const entries: DirEntry[] = (more ? dirents.slice(0, maxEntries) : dirents).map((d) => ({
      name: d.name,
      type: entryType(d),
    }));
    const toStat = entries.filter((e) => e.type === 'file' || e.type === 'symlink').slice(0, maxStats);
    // lstat in small batches: fast on a big folder without flooding the threadpool.
    for (let i = 0; i < toStat.length; i += 32) {
      await Promise.all(
        toStat.slice(i, i + 32).map(async (entry) => {
          const stats = await lstat(path.join(base, entry.name)).catch(() => null);
          if (stats) {
            entry.stats = stats;
            entry.type = entryType(stats);
          }
        }),
      );
    }
    return { entries, more };
  } finally {
    await handle.close();
  }
}

/**
 * Reads a file where following symlinks is intended (the local sandbox, which isolates nothing),
 * still never blocking: opened O_NONBLOCK, and refused unless the descriptor is a regular file.
 */
export async function readRegularFile(hostPath: string, maxBytes = MAX_READ_BYTES): Promise<Buffer> {
  const handle = await open(hostPath, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0));
  try {
    const opened = await handle.stat();
    if (opened.isDirectory()) {
      throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${hostPath}'`), {
        code: 'EISDIR',
      });
    }
    if (!opened.isFile()) throw notRegular(hostPath, entryType(opened));
    if (opened.size > maxBytes) {
      throw new UnsafeFileError(
        'EFBIG',
        `${hostPath} is ${opened.size} bytes, over the ${maxBytes}-byte cap`,
      );
    }
    return await readCapped(handle, maxBytes, hostPath, opened.size);
  } finally {
    await handle.close();
  }
}

/** Writes a file, never blocking on a FIFO and never writing into anything but a regular file. */
export async function writeRegularFile(hostPath: string, data: string | Buffer): Promise<void> {
  const handle = await open(
    hostPath,
    constants.O_WRONLY | constants.O_CREAT | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0),
    0o666,
  );
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) throw notRegular(hostPath, entryType(opened));
    await handle.truncate(0);
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
}

/**
 * The synchronous rule, for small folders read on a sync path (template build contexts): no
 * symlink is followed (O_NOFOLLOW, and on Linux the descriptor's own path must be `hostPath`, so
 * a parent folder swapped for a link does not win), the open never blocks, only a regular file
 * is read, up to `maxBytes`.
 */
export function readRegularFileNoFollowSync(
  hostPath: string,
  maxBytes = MAX_READ_BYTES,
): { data: Buffer; mode: number } {
  const fd = openSync(hostPath, OPEN_FLAGS);
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) throw notRegular(hostPath, entryType(opened));
    if (HAS_PROC_FD && readlinkSync(`/proc/self/fd/${fd}`) !== hostPath) {
      throw new UnsafeFileError('EOUTSIDE', `${hostPath} goes through a symlink; not read`);
    }
    if (opened.size > maxBytes) {
      throw new UnsafeFileError(
        'EFBIG',
        `${hostPath} is ${opened.size} bytes, over the ${maxBytes}-byte cap`,
      );
    }
    const data = Buffer.alloc(opened.size);
    let at = 0;
    while (at < data.length) {
      const got = readSync(fd, data, at, data.length - at, null);
      if (got === 0) break;
      at += got;
    }
    return { data: data.subarray(0, at), mode: opened.mode & 0o777 };
  } finally {
    closeSync(fd);
  }
}

/** The entries of a folder, synchronously, by the same rule (null when not a real folder). */
export function readDirNoFollowSync(hostDir: string): import('node:fs').Dirent[] | null {
  let fd: number;
  try {
    fd = openSync(hostDir, DIR_FLAGS);
  } catch {
    return null;
  }
  try {
    if (HAS_PROC_FD && readlinkSync(`/proc/self/fd/${fd}`) !== hostDir) return null;
    return readdirSync(HAS_PROC_FD ? `/proc/self/fd/${fd}` : hostDir, { withFileTypes: true });
  } finally {
    closeSync(fd);
  }
}

import { lchown, lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

/** The user the container runs as: the host user, or 1000:1000 when the host user is root. */
export function containerUser(): { uid: number; gid: number; hostIsRoot: boolean } {
  const uid = process.getuid?.() ?? 1000;
  const gid = process.getgid?.() ?? 1000;
  if (uid === 0) return { uid: 1000, gid: 1000, hostIsRoot: true };
  return { uid, gid, hostIsRoot: false };
}

/**
 * Gives a writable mount to the container user. Needed only when the host user is root: the
 * container then runs as 1000:1000 and could not write a root-owned tree. Entries already owned
 * are skipped, so a second run over the same workspace costs one stat per entry.
 */
export async function ensureOwned(dir: string, uid: number, gid: number): Promise<void> {
  const stats = await lstat(dir);
  if (stats.uid !== uid || stats.gid !== gid) await lchown(dir, uid, gid);
  if (!stats.isDirectory()) return;
  for (const name of await readdir(dir)) await ensureOwned(path.join(dir, name), uid, gid);
}

import { lstat } from 'node:fs/promises';
import path from 'node:path';

/**
 * True when some existing component of `hostPath` below `root` is a symlink. When none is, the
 * sandbox's realpath of the path is the path itself and no exec is needed to resolve it.
 */
export async function hasSymlinkBelow(root: string, hostPath: string): Promise<boolean> {
  const rel = path.relative(root, hostPath);
  if (!rel) return false;
  let current = root;
  for (const part of rel.split(path.sep)) {
    current = path.join(current, part);
    try {
      if ((await lstat(current)).isSymbolicLink()) return true;
    } catch {
      return false;
    }
  }
  return false;
}

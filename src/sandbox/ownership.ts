import { statSync } from 'node:fs';

/**
 * The uid:gid a run's container runs as. Nothing on the host ever changes owner for a run: the
 * container takes the owner the files already have.
 *
 * - The server runs as a user: the container runs as that user (files it writes are the user's).
 * - The server runs as root: the container runs as the owner of the workspace folder, so a
 *   user's folder stays the user's; a root-owned workspace gives a root container, which still
 *   has every capability dropped and no-new-privileges (root without CAP_DAC_OVERRIDE cannot
 *   touch what the mounts' permissions keep from it, and the image has no setuid way back up).
 */
export function containerUser(workspaceHostPath?: string): { uid: number; gid: number } {
  const uid = process.getuid?.() ?? 1000;
  const gid = process.getgid?.() ?? 1000;
  if (uid !== 0 || !workspaceHostPath) return { uid, gid };
  try {
    const owner = statSync(workspaceHostPath);
    return { uid: owner.uid, gid: owner.gid };
  } catch {
    return { uid, gid };
  }
}

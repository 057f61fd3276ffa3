import { realpathSync } from 'node:fs';
import path from 'node:path';
import { invalid } from '../api/errors.js';
import type { ResolvedMount } from '../store/runs.js';

export const WORKSPACE = '/workspace';

/**
 * A path as users write it (`/src/App.tsx`, `src/App.tsx`, `/libs/x.ts`) as a sandbox path: paths
 * under a mount stay; anything else is taken relative to /workspace, as the docs' examples are.
 */
export function toSandboxPath(p: string, mounts: readonly ResolvedMount[]): string {
  const clean = path.posix.normalize(p.startsWith('/') ? p : `/${p}`);
  const underMount = mounts.some((m) => clean === m.path || clean.startsWith(`${m.path}/`));
  return underMount ? clean : path.posix.join(WORKSPACE, clean);
}

/**
 * The host file behind a sandbox path, refusing anything that leaves its mount through `..` or a
 * symlink.
 */
export function toHostPath(sandboxPath: string, mounts: readonly ResolvedMount[]): string {
  const mount = [...mounts]
    .sort((a, b) => b.path.length - a.path.length)
    .find((m) => sandboxPath === m.path || sandboxPath.startsWith(`${m.path}/`));
  if (!mount)
    throw invalid(`"${sandboxPath}" is outside the run's mounts (${mounts.map((m) => m.path).join(', ')})`);
  const host = path.join(mount.hostPath, sandboxPath.slice(mount.path.length));
  let real: string;
  try {
    real = realpathSync(host);
  } catch {
    return host;
  }
  const root = realpathSync(mount.hostPath);
  if (real !== root && !real.startsWith(`${root}${path.sep}`)) {
    throw invalid(
      `"${sandboxPath}" leads outside its mount ${mount.path}; only files inside the run's mounts can be read`,
    );
  }
  return real;
}

import path from 'node:path';
import type { SandboxMount } from './types.js';

/** The mount a sandbox path falls under (the longest matching container path), if any. */
export function mountOf(mounts: readonly SandboxMount[], sandboxPath: string): SandboxMount | undefined {
  let best: SandboxMount | undefined;
  for (const m of mounts) {
    if (sandboxPath === m.containerPath || sandboxPath.startsWith(`${m.containerPath}/`)) {
      if (!best || m.containerPath.length > best.containerPath.length) best = m;
    }
  }
  return best;
}

/** `/workspace/src/a.ts` -> `<workspace host dir>/src/a.ts`; null when no mount holds the path. */
export function toHost(mounts: readonly SandboxMount[], sandboxPath: string): string | null {
  const clean = path.posix.normalize(sandboxPath);
  const mount = mountOf(mounts, clean);
  if (!mount) return null;
  return path.join(mount.hostPath, clean.slice(mount.containerPath.length));
}

/** The reverse of `toHost`; null when the host path is under no mount. */
export function toSandbox(mounts: readonly SandboxMount[], hostPath: string): string | null {
  let best: { mount: SandboxMount; rest: string } | undefined;
  for (const m of mounts) {
    const rel = path.relative(m.hostPath, hostPath);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    if (!best || m.hostPath.length > best.mount.hostPath.length) best = { mount: m, rest: rel };
  }
  if (!best) return null;
  return best.rest
    ? path.posix.join(best.mount.containerPath, best.rest.split(path.sep).join('/'))
    : best.mount.containerPath;
}

/** Absolute, normalised sandbox path; relative paths are taken from `cwd` (the workspace). */
export function absoluteSandboxPath(p: string, cwd = '/workspace'): string {
  return path.posix.resolve(cwd, p);
}

/**
 * Throws (code EROFS) when `sandboxPath` is on a read-only mount: every tool that writes through
 * the sandbox gets the same refusal, whatever the kernel would have said.
 */
export function assertWritable(mounts: readonly SandboxMount[], sandboxPath: string): void {
  const mount = mountOf(mounts, path.posix.normalize(sandboxPath));
  if (!mount?.readOnly) return;
  throw Object.assign(
    new Error(
      `${sandboxPath} is on the read-only mount ${mount.containerPath}: this run may read it but not change it (the mount was given with readOnly: true)`,
    ),
    { code: 'EROFS', path: sandboxPath },
  );
}

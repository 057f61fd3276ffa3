import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Host folders that never become a workspace: a run's container could then read or write the
 * system itself. The folder and anything inside it are refused.
 */
const SYSTEM_TREES = ['/etc', '/usr', '/proc', '/sys', '/dev', '/boot', '/bin', '/sbin', '/lib', '/lib64'];
/** Refused as themselves (a project may well live below them, as in /var/www or /root/app). */
const SYSTEM_DIRS = ['/', '/var', '/root', '/home', '/run', '/srv', '/opt', '/mnt', '/media', '/tmp'];

const within = (p: string, root: string): boolean => p === root || p.startsWith(`${root}/`);

/**
 * Why `dir` cannot be registered as a workspace, or undefined when it can. The check is on the
 * real path, so a symlink to `/` or `/etc` is refused like the folder itself.
 */
export function workspacePathProblem(dir: string, dataDir: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(dir);
    if (!statSync(real).isDirectory()) return `"${dir}" is not a directory`;
  } catch {
    return `"${dir}" is not an existing directory; create it first or omit path for a managed workspace`;
  }
  const shown = real === dir ? `"${dir}"` : `"${dir}" (really ${real})`;
  const tree = SYSTEM_TREES.find((root) => within(real, root));
  if (tree)
    return `${shown} is ${real === tree ? '' : 'inside '}the system folder ${tree}; a run could change the machine itself. Use a project folder`;
  if (SYSTEM_DIRS.includes(real))
    return `${shown} is a system folder; give a project folder inside it instead`;
  const data = safeRealpath(dataDir);
  if (within(real, data)) {
    return `${shown} is runtools' data dir (its database and API key); use a folder outside it, or omit path for a managed workspace`;
  }
  return undefined;
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

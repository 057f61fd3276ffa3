/**
 * The key a local `runtools dev` keeps in `<data dir>/api-key`, read only where a file system
 * exists: in a browser (or anywhere without `node:fs`) the key must be passed in.
 */
export function readLocalKey(dataDir: string): string | undefined {
  const proc = (globalThis as { process?: NodeProcessLike }).process;
  const fs = proc?.getBuiltinModule?.('node:fs') as NodeFsLike | undefined;
  if (!fs) return undefined;
  try {
    return fs.readFileSync(`${dataDir.replace(/\/+$/, '')}/api-key`, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** What the client reads from its environment, when it has one. */
export function environment(): Record<string, string | undefined> {
  return (globalThis as { process?: NodeProcessLike }).process?.env ?? {};
}

interface NodeProcessLike {
  env?: Record<string, string | undefined>;
  cwd?(): string;
  getBuiltinModule?(id: string): unknown;
}

interface NodeFsLike {
  readFileSync(path: string, encoding: 'utf8'): string;
}

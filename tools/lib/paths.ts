import path from 'node:path';
import type { ToolContext } from '../types.js';

export type Resolved = { ok: true; path: string } | { ok: false; message: string };

const inside = (p: string, roots: readonly string[]): boolean =>
  roots.some((root) => p === root || p.startsWith(root.endsWith('/') ? root : `${root}/`));

/** A path the model gave as an absolute sandbox path: relative paths start at /workspace. */
export function absolute(p: string): string {
  return path.posix.resolve('/workspace', p);
}

/**
 * The real sandbox path behind `p`, refused when it leaves the run's roots by `..` or through a
 * symlink; symlinks are resolved by the sandbox itself, as its processes would see them.
 */
export async function resolveInRoots(ctx: ToolContext, p: string): Promise<Resolved> {
  const abs = absolute(p);
  const roots = ctx.roots.length ? ctx.roots : ['/workspace'];
  if (!inside(abs, roots)) {
    return {
      ok: false,
      message: `refused: ${p} resolves to ${abs}, which is outside the folders this run may use (${roots.join(', ')})`,
    };
  }
  const real = await ctx.sandbox.realpath(abs);
  if (!inside(real, roots)) {
    return {
      ok: false,
      message: `refused: ${p} goes through a symlink that leads to ${real}, outside the folders this run may use (${roots.join(', ')})`,
    };
  }
  return { ok: true, path: real };
}

/** Names in `dir` close to `name` (same name in another case, or a small edit distance). */
export function closeNames(name: string, candidates: readonly string[]): string[] {
  const lower = name.toLowerCase();
  return candidates
    .map((c) => ({ c, d: c.toLowerCase() === lower ? 0 : distance(lower, c.toLowerCase()) }))
    .filter(({ d }) => d <= Math.max(2, Math.floor(name.length / 4)))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, 3)
    .map(({ c }) => c);
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** "File not found" with close names from the parent folder, when there are any. */
export async function notFoundMessage(ctx: ToolContext, p: string, abs: string): Promise<string> {
  let hint = '';
  try {
    const names = (await ctx.sandbox.list(path.posix.dirname(abs))).map((e) => e.name);
    const close = closeNames(path.posix.basename(abs), names).map((n) =>
      path.posix.join(path.posix.dirname(abs), n),
    );
    if (close.length) hint = `; did you mean ${close.join(' or ')}?`;
  } catch {
    hint = `; its folder ${path.posix.dirname(abs)} does not exist either`;
  }
  return `file not found: ${p}${hint} (use glob to find files by name)`;
}

/** Binary when a NUL byte shows up in the first 8 KB, as git and grep decide. */
export function isBinary(data: Buffer): boolean {
  return data.subarray(0, 8192).includes(0);
}

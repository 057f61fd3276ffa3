import path from 'node:path';
import type { ToolContext } from '../types.js';
import { runDir } from './run-dir.js';

export type Resolved = { ok: true; path: string } | { ok: false; message: string };

const inside = (p: string, roots: readonly string[]): boolean =>
  roots.some((root) => p === root || p.startsWith(root.endsWith('/') ? root : `${root}/`));

/** A path the model gave as an absolute sandbox path: relative paths start at /workspace. */
export function absolute(p: string): string {
  return path.posix.resolve('/workspace', p);
}

/** The run's folders (its mounts): where edit_file may write, in every sandbox. */
export function writableRoots(ctx: ToolContext): string[] {
  return ctx.roots.length ? ctx.roots : ['/workspace'];
}

/**
 * The real sandbox path behind `p` for reading. In a container, whatever its processes can reach
 * (the model's `/tmp/build.log`, the tools' own files): the container is the boundary and the kernel
 * enforces it. The local sandbox isolates nothing, so there reads stay in the run's folders and the
 * tools' own folder for the run.
 */
export async function resolveForRead(ctx: ToolContext, p: string): Promise<Resolved> {
  if (ctx.sandbox.kind === 'docker') {
    const abs = absolute(p);
    try {
      return { ok: true, path: await ctx.sandbox.realpath(abs) };
    } catch {
      // realpath itself failing (a loop, a permission) is for the read to report.
      return { ok: true, path: abs };
    }
  }
  return resolveWithin(ctx, p, [...writableRoots(ctx), runDir(ctx)], 'may read in the local sandbox');
}

/** The real sandbox path behind `p` for writing: only inside the run's folders, in every sandbox. */
export function resolveForWrite(ctx: ToolContext, p: string): Promise<Resolved> {
  return resolveWithin(ctx, p, writableRoots(ctx), 'may change');
}

/**
 * Refuses a path that leaves `roots` by `..` or through a symlink; symlinks are resolved by the
 * sandbox itself, as its processes would see them. A symlink's target is named only in a container:
 * on the local sandbox it is a host path, which the model never sees.
 */
async function resolveWithin(
  ctx: ToolContext,
  p: string,
  roots: readonly string[],
  verb: string,
): Promise<Resolved> {
  const abs = absolute(p);
  const allowed = `the folders this run ${verb}: ${roots.join(', ')}`;
  if (!inside(abs, roots)) {
    const where = abs === p ? abs : `${p} resolves to ${abs}, which`;
    return { ok: false, message: `refused: ${where} is outside ${allowed}` };
  }
  const real = await ctx.sandbox.realpath(abs);
  if (!inside(real, roots)) {
    const target = ctx.sandbox.kind === 'docker' ? ` to ${real}` : '';
    return {
      ok: false,
      message: `refused: ${p} goes through a symlink that leads${target} outside ${allowed}`,
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

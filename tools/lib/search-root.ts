import path from 'node:path';
import type { ToolContext } from '../types.js';
import { absolute, notFoundMessage, resolveForRead } from './paths.js';
import { shellQuote } from './run-dir.js';

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * A glob the model gave, made relative to the folder it searches. ripgrep matches `-g` against
 * paths relative to the folder it runs in, so the tools run it in the search folder: then
 * `src/*.ts` under `path: /workspace/app` means /workspace/app/src/*.ts. An absolute pattern, or one
 * starting with `./` or `../`, names its folder itself: the literal part becomes the folder, and the
 * rest is anchored there (a leading `/` in a ripgrep glob anchors it to the search folder).
 */
export function splitPattern(pattern: string, base: string): { base: string; pattern: string } {
  if (pattern.startsWith('./') && !pattern.startsWith('./.')) return { base, pattern: pattern.slice(2) };
  if (!pattern.startsWith('/') && !pattern.startsWith('../')) return { base, pattern };
  const parts = pattern.split('/');
  const firstGlob = parts.findIndex((part) => GLOB_CHARS.test(part));
  const literal = firstGlob === -1 ? parts.length - 1 : firstGlob;
  const dir = path.posix.resolve(base, parts.slice(0, literal).join('/') || '/');
  const rest = parts.slice(literal).join('/');
  return { base: dir, pattern: rest.startsWith('**') ? rest : `/${rest}` };
}

/** Where one ripgrep call runs: a folder, or a file's folder with the file as the only target. */
export interface SearchTarget {
  /** The sandbox path the model asked to search (absolute). */
  where: string;
  /** A shell snippet that enters the folder and sets "$@" to what rg searches; exit 200 if missing. */
  enter: string;
}

/** Exit code of `enter` when the path does not exist. */
export const MISSING_PATH = 200;

/**
 * The search target for `where`, or a refusal. In a container, any path its processes reach; on the
 * local sandbox, only the run's folders (the same limits as read_file).
 */
export async function searchTarget(
  ctx: ToolContext,
  where: string,
): Promise<{ ok: true; target: SearchTarget } | { ok: false; message: string }> {
  let dir = absolute(where);
  if (ctx.sandbox.kind === 'local') {
    const resolved = await resolveForRead(ctx, dir);
    if (!resolved.ok) return resolved;
    dir = resolved.path;
  }
  const parent = path.posix.dirname(dir);
  const q = shellQuote;
  const enter = [
    `if [ -d ${q(dir)} ]; then cd -- ${q(dir)} && set -- .`,
    `elif [ -e ${q(dir)} ]; then cd -- ${q(parent)} && set -- ${q(path.posix.basename(dir))}`,
    `else exit ${MISSING_PATH}; fi`,
  ].join('\n');
  return { ok: true, target: { where: dir, enter } };
}

/**
 * The sandbox path of a path rg printed: under a folder target rg prints `./x`; for a file target,
 * the file's name as it was given.
 */
export function fromRg(printed: string, target: SearchTarget): string {
  if (printed.startsWith('./')) return path.posix.join(target.where, printed);
  return path.posix.join(path.posix.dirname(target.where), printed);
}

/** The "path not found" message of a search, with close names. */
export function missingPathMessage(ctx: ToolContext, given: string, where: string): Promise<string> {
  return notFoundMessage(ctx, given, where).then((m) => m.replace(/^file not found/, 'path not found'));
}

import type { ToolContext } from '../types.js';

const safe = (runId: string): string => runId.replace(/[^\w-]/g, '_');

/**
 * The sandbox folder where the tools keep a run's own files: whole outputs that were cut, the logs
 * of background processes. One per run (the local sandbox shares the host's /tmp between runs), and
 * readable with read_file and grep in every sandbox, since the tools point the model at it.
 */
export function runDir(ctx: Pick<ToolContext, 'runId'>): string {
  return `/tmp/runtools-${safe(ctx.runId)}`;
}

/** A per-run counter kept in the run's tool state (background ids, cut-output files). */
export function nextNumber(ctx: Pick<ToolContext, 'state'>, key: string): number {
  const next = ((ctx.state.get(key) as number | undefined) ?? 0) + 1;
  ctx.state.set(key, next);
  return next;
}

/** A POSIX shell single-quoted word. */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

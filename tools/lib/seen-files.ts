import { createHash } from 'node:crypto';
import type { ToolContext } from '../types.js';

/** Files up to this size keep their text, so a stale edit can show what changed since the read. */
const MAX_TEXT_BYTES = 256 * 1024;
/** Past this many bytes of kept text in a run, files are tracked by hash only. */
const MAX_RUN_TEXT_BYTES = 16 * 1024 * 1024;
const KEY = 'files.seen';

interface Seen {
  hash: string;
  /** The content the model saw, when small enough to keep. */
  text: string | null;
}

interface SeenFiles {
  files: Map<string, Seen>;
  textBytes: number;
}

function seenFiles(ctx: ToolContext): SeenFiles {
  let seen = ctx.state.get(KEY) as SeenFiles | undefined;
  if (!seen) {
    seen = { files: new Map(), textBytes: 0 };
    ctx.state.set(KEY, seen);
  }
  return seen;
}

const hashOf = (data: Buffer | string): string => createHash('sha1').update(data).digest('hex');

/**
 * Records the content of a file as the model now knows it: it read it, created it or edited it
 * (a file the model wrote itself counts as read).
 */
export function markSeen(ctx: ToolContext, path: string, data: Buffer | string): void {
  const seen = seenFiles(ctx);
  const before = seen.files.get(path);
  if (before?.text) seen.textBytes -= before.text.length;
  const size = Buffer.byteLength(data);
  const keep = size <= MAX_TEXT_BYTES && seen.textBytes + size <= MAX_RUN_TEXT_BYTES;
  const text = keep ? data.toString() : null;
  if (text) seen.textBytes += text.length;
  seen.files.set(path, { hash: hashOf(data), text });
}

/**
 * Whether `data` (the file now) differs from what the model last saw of it. `before` is the text it
 * saw, when kept; a file the model never read in this run is not stale (it may know it from grep
 * output, a context file or a command).
 */
export function staleSince(
  ctx: ToolContext,
  path: string,
  data: Buffer,
): { stale: false } | { stale: true; before: string | null } {
  const seen = seenFiles(ctx).files.get(path);
  if (!seen || seen.hash === hashOf(data)) return { stale: false };
  return { stale: true, before: seen.text };
}

import { createTwoFilesPatch } from 'diff';
import { z } from 'zod';
import { fileProblem } from './lib/errors.js';
import { isBinary, notFoundMessage, resolveForWrite } from './lib/paths.js';
import { markSeen, staleSince } from './lib/seen-files.js';
import type { Tool, ToolContext, ToolResult } from './types.js';

const input = z.strictObject({
  path: z.string().min(1).describe('The file to edit: relative to /workspace, or absolute'),
  old_string: z
    .string()
    .describe('The exact text to replace, with its whitespace and indentation; "" creates a new file'),
  new_string: z.string().describe('The text to put in its place'),
  replace_all: z.boolean().optional().describe('Replace every occurrence instead of exactly one'),
});

/** A unified diff with sandbox paths, as file_edit events carry. */
export function unifiedDiff(path: string, before: string, after: string): string {
  return createTwoFilesPatch(`a${path}`, `b${path}`, before, after, undefined, undefined, { context: 3 });
}

/** Lines around `index` in `text`, numbered: the model sees the edit landed where it meant. */
function snippet(text: string, index: number, length: number): string {
  const lines = text.replace(/\n$/, '').split('\n');
  const first = text.slice(0, index).split('\n').length;
  const lastLine = text.slice(0, index + length).split('\n').length;
  const from = Math.max(1, first - 2);
  const to = Math.min(lines.length, lastLine + 2);
  return lines
    .slice(from - 1, to)
    .map((line, i) => `${from + i}\t${line}`)
    .join('\n');
}

function lineNumbers(text: string, needle: string): number[] {
  const lines: number[] = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
    lines.push(text.slice(0, at).split('\n').length);
  }
  return lines;
}

/** Writes through the sandbox (which enforces read-only mounts); a refusal comes back in words. */
async function write(ctx: ToolContext, path: string, content: string): Promise<string | null> {
  try {
    await ctx.sandbox.writeFile(path, content);
    markSeen(ctx, path, content);
    return null;
  } catch (error) {
    const problem = fileProblem(error, path, 'write');
    if (problem) return problem;
    throw error;
  }
}

/** Diffs longer than this are not shown in a stale-edit refusal: the model reads the file instead. */
const MAX_STALE_DIFF = 8_000;

/**
 * The refusal of an edit to a file that changed since the model last saw it. When the change is
 * small enough to show, the message shows it and the file counts as read again, so the model can
 * retry at once instead of spending a turn on a read.
 */
function staleRefusal(ctx: ToolContext, path: string, before: string | null, data: Buffer): ToolResult {
  const intro = `${path} changed since you last read it (a command, a formatter or another process wrote it), so old_string was not applied to text you have not seen.`;
  if (before !== null && !isBinary(data)) {
    const diff = unifiedDiff(path, before, data.toString('utf8'));
    if (diff.length <= MAX_STALE_DIFF) {
      markSeen(ctx, path, data);
      return {
        output: `${intro} What changed since your read:\n${diff}\nThe file as it is now counts as read: check old_string against it and edit again.`,
        isError: true,
      };
    }
  }
  return { output: `${intro} Read it again with read_file, then edit.`, isError: true };
}

async function create(
  ctx: ToolContext,
  path: string,
  content: string,
  existed: boolean,
): Promise<ToolResult> {
  const problem = await write(ctx, path, content);
  if (problem) return { output: problem, isError: true };
  const diff = unifiedDiff(path, '', content);
  ctx.emit({ type: 'file_edit', path, diff, change: existed ? 'modified' : 'created' });
  return {
    output: `${existed ? 'Wrote the empty file' : 'Created'} ${path} (${content.replace(/\n$/, '').split('\n').length} lines).`,
  };
}

export const editFileTool: Tool<typeof input> = {
  name: 'edit_file',
  description: [
    'Edit a file by exact string replacement: old_string must match the file exactly, whitespace included,',
    'and exactly once unless replace_all is true (add surrounding lines to make it unique).',
    'With old_string "" it creates a new file (and its folders) holding new_string.',
    'Read the file first so old_string is copied from its current text. If the file changed since you read it',
    '(a command or a formatter wrote it), the edit is refused with what changed, so old_string can be checked.',
    "Writes only inside the run's folders (its mounts), and not to read-only mounts.",
  ].join(' '),
  inputSchema: input,
  async execute(args, ctx) {
    const resolved = await resolveForWrite(ctx, args.path);
    if (!resolved.ok) return { output: resolved.message, isError: true };
    const path = resolved.path;
    const entry = await ctx.sandbox.stat(path);
    if (entry?.type === 'directory') return { output: `${path} is a directory, not a file.`, isError: true };
    if (args.old_string === '') {
      if (!entry) return create(ctx, path, args.new_string, false);
      if (entry.size === 0) return create(ctx, path, args.new_string, true);
      return {
        output: `${path} already exists and is not empty; to change it, give old_string with the text to replace (read the file first).`,
        isError: true,
      };
    }
    if (!entry) return { output: await notFoundMessage(ctx, args.path, path), isError: true };
    let data: Buffer;
    try {
      data = await ctx.sandbox.readFile(path);
    } catch (error) {
      const problem = fileProblem(error, path, 'read');
      if (problem) return { output: problem, isError: true };
      throw error;
    }
    const staleness = staleSince(ctx, path, data);
    if (staleness.stale) return staleRefusal(ctx, path, staleness.before, data);
    if (isBinary(data))
      return { output: `${path} is a binary file; edit_file edits text only.`, isError: true };
    const original = data.toString('utf8');
    // CRLF files are matched on \n endings and written back with \r\n.
    const crlf = original.includes('\r\n');
    const text = crlf ? original.replace(/\r\n/g, '\n') : original;
    const oldString = crlf ? args.old_string.replace(/\r\n/g, '\n') : args.old_string;
    const newString = crlf ? args.new_string.replace(/\r\n/g, '\n') : args.new_string;
    if (oldString === newString) {
      return { output: 'old_string and new_string are the same: no changes to apply.', isError: true };
    }
    const lines = lineNumbers(text, oldString);
    if (lines.length === 0) {
      return {
        output: `old_string was not found in ${path} (0 occurrences). Read the file again and copy the text exactly, with its whitespace and indentation.`,
        isError: true,
      };
    }
    if (lines.length > 1 && !args.replace_all) {
      return {
        output: `old_string occurs ${lines.length} times in ${path}, at lines ${lines.join(', ')}. Add surrounding lines to make it unique, or set replace_all to replace them all.`,
        isError: true,
      };
    }
    const first = text.indexOf(oldString);
    const updated = args.replace_all
      ? text.split(oldString).join(newString)
      : text.slice(0, first) + newString + text.slice(first + oldString.length);
    const problem = await write(ctx, path, crlf ? updated.replace(/\n/g, '\r\n') : updated);
    if (problem) return { output: problem, isError: true };
    ctx.emit({ type: 'file_edit', path, diff: unifiedDiff(path, text, updated), change: 'modified' });
    const count = args.replace_all
      ? `${lines.length} occurrence${lines.length === 1 ? '' : 's'}`
      : '1 occurrence';
    return { output: `Edited ${path}: replaced ${count}.\n${snippet(updated, first, newString.length)}` };
  },
};

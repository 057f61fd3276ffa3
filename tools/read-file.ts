import { z } from 'zod';
import { fileProblem } from './lib/errors.js';
import { isBinary, notFoundMessage, resolveForRead } from './lib/paths.js';
import { markSeen } from './lib/seen-files.js';
import type { Tool } from './types.js';

const DEFAULT_LIMIT = 2_000;
const MAX_LINE = 2_000;
/** About 25k tokens: a read stops adding lines past it and says where to continue. */
const MAX_CHARS = 100_000;

const input = z.strictObject({
  path: z.string().min(1).describe('The file to read: relative to /workspace, or absolute'),
  offset: z.number().int().positive().optional().describe('The first line to show (1-based); default 1'),
  limit: z.number().int().positive().optional().describe('How many lines to show; default 2000'),
});

export const readFileTool: Tool<typeof input> = {
  name: 'read_file',
  description: [
    'Read a text file. Lines come numbered as "N<TAB>text", 2000 lines from offset by default;',
    'lines longer than 2000 characters are cut. For a long file, read it in parts with offset and limit.',
    'A directory path gives its listing. Read a file before editing it.',
    "Reaches what the sandbox's commands can read (e.g. /tmp/build.log written by a command, or the files the bash tool names);",
    "on the local sandbox (no container) only the run's folders and the files the tools name.",
  ].join(' '),
  inputSchema: input,
  async execute(args, ctx) {
    const resolved = await resolveForRead(ctx, args.path);
    if (!resolved.ok) return { output: resolved.message, isError: true };
    const entry = await ctx.sandbox.stat(resolved.path);
    if (!entry) return { output: await notFoundMessage(ctx, args.path, resolved.path), isError: true };
    if (entry.type === 'directory') {
      const entries = await ctx.sandbox.list(resolved.path);
      const names = entries.map((e) => (e.type === 'directory' ? `${e.name}/` : e.name));
      return {
        output: `${resolved.path} is a directory with ${entries.length} entries (use glob to find files in it):\n${names.join('\n')}`,
      };
    }
    let data: Buffer;
    try {
      data = await ctx.sandbox.readFile(resolved.path);
    } catch (error) {
      const problem = fileProblem(error, resolved.path, 'read');
      if (problem) return { output: problem, isError: true };
      throw error;
    }
    markSeen(ctx, resolved.path, data);
    if (data.length === 0) return { output: `${resolved.path} is empty (0 bytes).` };
    if (isBinary(data)) {
      return {
        output: `${resolved.path} is a binary file (${data.length} bytes); read_file shows text only.`,
        isError: true,
      };
    }
    const text = data.toString('utf8');
    const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
    const offset = args.offset ?? 1;
    if (offset > lines.length) {
      return {
        output: `${resolved.path} has ${lines.length} lines; offset ${offset} is past its end.`,
        isError: true,
      };
    }
    const limit = args.limit ?? DEFAULT_LIMIT;
    const out: string[] = [];
    let chars = 0;
    let last = offset - 1;
    for (let i = offset - 1; i < Math.min(lines.length, offset - 1 + limit); i++) {
      let line = lines[i]!;
      if (line.length > MAX_LINE)
        line = `${line.slice(0, MAX_LINE)}... [line cut: ${line.length} characters]`;
      const numbered = `${i + 1}\t${line}`;
      if (chars + numbered.length > MAX_CHARS && out.length > 0) break;
      out.push(numbered);
      chars += numbered.length + 1;
      last = i + 1;
    }
    if (last < lines.length) {
      out.push(`\n[showing lines ${offset}-${last} of ${lines.length}; continue with offset ${last + 1}]`);
    }
    return { output: out.join('\n') };
  },
};

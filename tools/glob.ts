import { z } from 'zod';
import { absolute } from './lib/paths.js';
import { shellQuote } from './lib/run-dir.js';
import { fromRg, MISSING_PATH, missingPathMessage, searchTarget, splitPattern } from './lib/search-root.js';
import type { Tool } from './types.js';

const MAX_RESULTS = 100;

const input = z.strictObject({
  pattern: z
    .string()
    .min(1)
    .describe(
      'A glob relative to path: "**/*.ts", "src/**/*.test.ts", "src/*.ts" (files directly in src); without a slash it matches names at any depth ("*.json")',
    ),
  path: z.string().optional().describe('Folder to search in; default /workspace'),
  offset: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Matches to skip, for paging: the note of a cut list gives the next offset'),
});

export const globTool: Tool<typeof input> = {
  name: 'glob',
  description: [
    'Find files by name pattern (glob, relative to path), newest first, 100 at a time (page on with offset).',
    'Files ignored by .gitignore are left out (the result says how many), and so is .git. Use grep to search inside files.',
    "Searches what the sandbox's commands can read (e.g. /tmp); on the local sandbox only the run's folders.",
  ].join(' '),
  inputSchema: input,
  async execute(args, ctx) {
    const given = args.path ?? '/workspace';
    const split = splitPattern(args.pattern, absolute(given));
    const located = await searchTarget(ctx, split.base);
    if (!located.ok) return { output: located.message, isError: true };
    const { target } = located;
    const where = target.where;
    const files = `rg --files --no-require-git --hidden -g '!.git' -g ${shellQuote(split.pattern)}`;
    // One exec: matching files with their mtimes, then how many matching files .gitignore hides.
    const command = [
      target.enter,
      `[ "$1" = . ] || { echo "__FILE"; exit 0; }`,
      'set -o pipefail',
      `${files} -0 -- . | xargs -0 -r stat -c '%.9Y %n' --`,
      'rc=$?',
      `printf '__ALL %s\\n' "$(${files} --no-ignore -- . | wc -l)"`,
      'exit $rc',
    ].join('\n');
    const result = await ctx.sandbox.exec(command, { cwd: '/', timeoutMs: 60_000, signal: ctx.signal });
    if (result.exitCode === MISSING_PATH) {
      return { output: await missingPathMessage(ctx, given, where), isError: true };
    }
    if (result.stdout.startsWith('__FILE')) {
      return {
        output: `${where} is a file; glob searches folders (give its folder as path, or read_file it)`,
        isError: true,
      };
    }
    if (/rg: command not found|rg: not found/.test(result.stderr)) {
      return {
        output:
          'glob unavailable: ripgrep (rg) is not installed where this run executes; use bash with find instead',
        isError: true,
      };
    }
    if (result.exitCode === 2) return { output: `glob failed: ${result.stderr.trim()}`, isError: true };
    const rows: { mtime: number; path: string }[] = [];
    let all = 0;
    for (const line of result.stdout.split('\n')) {
      if (line.startsWith('__ALL ')) all = Number(line.slice(6));
      else if (line) {
        const space = line.indexOf(' ');
        rows.push({ mtime: Number(line.slice(0, space)), path: fromRg(line.slice(space + 1), target) });
      }
    }
    rows.sort((a, b) => b.mtime - a.mtime || a.path.localeCompare(b.path));
    const ignored = Math.max(0, all - rows.length);
    const ignoredNote = ignored ? ` (${ignored} more matching files are ignored by .gitignore)` : '';
    if (rows.length === 0) return { output: `No files match "${args.pattern}" in ${where}${ignoredNote}.` };
    const offset = args.offset ?? 0;
    if (offset >= rows.length) {
      return {
        output: `${rows.length} files match "${args.pattern}" in ${where}; offset ${offset} is past the end.`,
        isError: true,
      };
    }
    const page = rows.slice(offset, offset + MAX_RESULTS).map((r) => r.path);
    const last = offset + page.length;
    const cut =
      offset > 0 || last < rows.length
        ? `\n[showing ${offset + 1}-${last} of ${rows.length}, newest first${last < rows.length ? `; continue with offset ${last}, or narrow the pattern or path` : ''}]`
        : '';
    return {
      output: `${rows.length} files match "${args.pattern}" in ${where}, newest first${ignoredNote}:\n${page.join('\n')}${cut}`,
    };
  },
};

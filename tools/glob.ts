import { z } from 'zod';
import { absolute } from './lib/paths.js';
import type { Tool } from './types.js';

const MAX_RESULTS = 100;

const input = z.object({
  pattern: z.string().min(1).describe('A glob such as "**/*.ts", "src/**/*.test.ts" or "*.json"'),
  path: z.string().optional().describe('Folder to search in; default /workspace'),
});

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export const globTool: Tool<typeof input> = {
  name: 'glob',
  description: [
    'Find files by name pattern (glob), newest first, up to 100. Files ignored by .gitignore are left out',
    '(the result says how many), and so is .git. Use grep to search inside files.',
  ].join(' '),
  inputSchema: input,
  async execute(args, ctx) {
    const where = args.path ? absolute(args.path) : '/workspace';
    const files = `rg --files --no-require-git --hidden -g '!.git' -g ${quote(args.pattern)}`;
    // One exec: matching files with their mtimes, then how many matching files .gitignore hides.
    const command = [
      'set -o pipefail',
      `${files} -0 -- ${quote(where)} | xargs -0 -r stat -c '%.9Y %n' --`,
      'rc=$?',
      `printf '__ALL %s\\n' "$(${files} --no-ignore -- ${quote(where)} | wc -l)"`,
      'exit $rc',
    ].join('\n');
    const result = await ctx.sandbox.exec(command, {
      cwd: '/workspace',
      timeoutMs: 60_000,
      signal: ctx.signal,
    });
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
        rows.push({ mtime: Number(line.slice(0, space)), path: line.slice(space + 1) });
      }
    }
    rows.sort((a, b) => b.mtime - a.mtime || a.path.localeCompare(b.path));
    const ignored = Math.max(0, all - rows.length);
    const ignoredNote = ignored ? ` (${ignored} more matching files are ignored by .gitignore)` : '';
    if (rows.length === 0) return { output: `No files match "${args.pattern}" in ${where}${ignoredNote}.` };
    const shown = rows.slice(0, MAX_RESULTS).map((r) => r.path);
    const cut =
      rows.length > MAX_RESULTS
        ? `\n[showing ${MAX_RESULTS} of ${rows.length}, newest first; narrow the pattern or path to see the rest]`
        : '';
    return {
      output: `${rows.length} files match "${args.pattern}" in ${where}, newest first${ignoredNote}:\n${shown.join('\n')}${cut}`,
    };
  },
};

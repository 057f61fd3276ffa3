import { z } from 'zod';
import { absolute } from './lib/paths.js';
import type { Tool } from './types.js';

const DEFAULT_HEAD_LIMIT = 250;

const input = z.object({
  pattern: z.string().min(1).describe('A ripgrep (Rust) regular expression, e.g. "function\\s+main"'),
  path: z.string().optional().describe('File or folder to search; default /workspace'),
  glob: z.string().optional().describe('Only files matching this glob, e.g. "*.ts" or "src/**/*.tsx"'),
  output_mode: z
    .enum(['files_with_matches', 'content', 'count'])
    .optional()
    .describe(
      'files_with_matches (default): matching file paths; content: matching lines; count: matches per file',
    ),
  case_insensitive: z.boolean().optional(),
  context: z
    .number()
    .int()
    .min(0)
    .max(20)
    .optional()
    .describe('Lines of context around each match (content mode)'),
  head_limit: z.number().int().positive().optional().describe('Most result lines to return; default 250'),
});

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export const grepTool: Tool<typeof input> = {
  name: 'grep',
  description: [
    'Search file contents with ripgrep inside the sandbox; files ignored by .gitignore are skipped.',
    'Default output: the paths of matching files, sorted. output_mode "content" shows matching lines with line numbers',
    '(context adds surrounding lines); "count" shows matches per file. Filter files with glob.',
  ].join(' '),
  inputSchema: input,
  async execute(args, ctx) {
    const mode = args.output_mode ?? 'files_with_matches';
    // --no-require-git: honor .gitignore in a workspace that is not a git repository too.
    const flags = [
      '--no-require-git',
      '--sort path',
      '--color never',
      '--max-columns 500',
      '--max-columns-preview',
    ];
    if (mode === 'files_with_matches') flags.push('-l');
    if (mode === 'count') flags.push('-c');
    if (mode === 'content') flags.push('-n', '--no-heading');
    if (mode === 'content' && args.context) flags.push(`-C ${args.context}`);
    if (args.case_insensitive) flags.push('-i');
    if (args.glob) flags.push(`-g ${quote(args.glob)}`);
    const where = args.path ? absolute(args.path) : '/workspace';
    const command = `rg ${flags.join(' ')} -e ${quote(args.pattern)} -- ${quote(where)}`;
    const result = await ctx.sandbox.exec(command, {
      cwd: '/workspace',
      timeoutMs: 60_000,
      signal: ctx.signal,
    });
    if (result.exitCode === 127) {
      return {
        output:
          'grep unavailable: ripgrep (rg) is not installed where this run executes; use bash with grep -rn instead',
        isError: true,
      };
    }
    if (result.exitCode === 1 && !result.stdout) {
      return { output: `No matches found for pattern "${args.pattern}" in ${where}` };
    }
    if (result.exitCode !== 0 && !result.stdout) {
      return { output: `grep failed: ${result.stderr.trim()}`, isError: true };
    }
    // Paths under /workspace come back relative to it: shorter, and what the model passes back anyway.
    const lines = result.stdout
      .replace(/\n$/, '')
      .split('\n')
      .map((line) => (line.startsWith('/workspace/') ? line.slice('/workspace/'.length) : line));
    const limit = args.head_limit ?? DEFAULT_HEAD_LIMIT;
    const noun = mode === 'files_with_matches' ? 'files' : mode === 'count' ? 'files' : 'lines';
    const header = `${lines.length} ${noun} matched in ${where}${lines.length > limit ? `, showing the first ${limit}` : ''}:`;
    const body = lines.slice(0, limit).join('\n');
    const note =
      lines.length > limit
        ? `\n[results limited to ${limit} of ${lines.length}; narrow the pattern, path or glob, or raise head_limit]`
        : '';
    return { output: `${header}\n${body}${note}` };
  },
};

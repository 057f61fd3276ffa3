import { z } from 'zod';
import { absolute } from './lib/paths.js';
import { shellQuote } from './lib/run-dir.js';
import {
  fromRg,
  MISSING_PATH,
  missingPathMessage,
  type SearchTarget,
  searchTarget,
  splitPattern,
} from './lib/search-root.js';
import type { Tool } from './types.js';

const DEFAULT_HEAD_LIMIT = 250;

const input = z.strictObject({
  pattern: z.string().min(1).describe('A ripgrep (Rust) regular expression, e.g. "function\\s+main"'),
  path: z.string().optional().describe('File or folder to search; default /workspace'),
  glob: z
    .string()
    .optional()
    .describe(
      'Only files matching this glob, relative to path: "*.ts" (any depth), "src/**/*.tsx", "!*.test.ts" (exclude)',
    ),
  output_mode: z
    .enum(['files_with_matches', 'content', 'count'])
    .optional()
    .describe(
      'files_with_matches (default): matching file paths; content: matching lines; count: matching lines per file',
    ),
  case_insensitive: z.boolean().optional(),
  context: z
    .number()
    .int()
    .min(0)
    .max(20)
    .optional()
    .describe('Lines of context before and after each match (content mode)'),
  head_limit: z.number().int().positive().optional().describe('Most result lines to return; default 250'),
  offset: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Result lines to skip, for paging: the note of a cut result gives the next offset'),
});

type Mode = NonNullable<z.output<typeof input>['output_mode']>;

const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Paths under /workspace come back relative to it: shorter, and what the model passes back anyway. */
const shown = (p: string): string => (p.startsWith('/workspace/') ? p.slice('/workspace/'.length) : p);

/**
 * ripgrep's output (run with --null, so a path ends at a NUL whatever it holds) as result lines in
 * its usual shape, with the totals the header states: context lines are not matches.
 */
function parse(
  stdout: string,
  mode: Mode,
  target: SearchTarget,
): { lines: string[]; files: number; matches: number } {
  if (mode === 'files_with_matches') {
    const lines = stdout
      .split('\0')
      .filter(Boolean)
      .map((p) => shown(fromRg(p.replace(/^\n/, ''), target)));
    return { lines, files: lines.length, matches: lines.length };
  }
  const lines: string[] = [];
  const files = new Set<string>();
  let matches = 0;
  for (const raw of stdout.replace(/\n$/, '').split('\n')) {
    const nul = raw.indexOf('\0');
    if (nul === -1) {
      lines.push(raw); // the "--" between groups of context
      continue;
    }
    const file = shown(fromRg(raw.slice(0, nul), target));
    const rest = raw.slice(nul + 1);
    files.add(file);
    if (mode === 'count') {
      matches += Number(rest) || 0;
      lines.push(`${file}:${rest}`);
      continue;
    }
    const numbered = /^(\d+)([:-])/.exec(rest);
    if (numbered?.[2] === '-') {
      lines.push(`${file}-${rest}`);
    } else {
      if (numbered) matches++;
      lines.push(`${file}:${rest}`);
    }
  }
  return { lines, files: files.size, matches };
}

function header(mode: Mode, found: { files: number; matches: number }, where: string, context?: number) {
  if (mode === 'files_with_matches') return `${plural(found.files, 'file')} matched in ${where}`;
  const around =
    mode === 'content' && context ? `, with ${plural(context, 'line')} of context around each` : '';
  return `${plural(found.matches, 'matching line')} in ${plural(found.files, 'file')} in ${where}${around}`;
}

export const grepTool: Tool<typeof input> = {
  name: 'grep',
  description: [
    'Search file contents with ripgrep inside the sandbox; files ignored by .gitignore are skipped.',
    'Default output: the paths of matching files, sorted. output_mode "content" shows matching lines with line numbers',
    '(context adds surrounding lines, marked "-" instead of ":"); "count" shows matching lines per file.',
    'glob filters files, relative to path. Results over head_limit (250) are cut with a note: page on with offset.',
    "Searches what the sandbox's commands can read (e.g. /tmp); on the local sandbox only the run's folders.",
  ].join(' '),
  inputSchema: input,
  async execute(args, ctx) {
    const mode = args.output_mode ?? 'files_with_matches';
    const given = args.path ?? '/workspace';
    const split = args.glob ? splitPattern(args.glob, absolute(given)) : null;
    const located = await searchTarget(ctx, split?.base ?? given);
    if (!located.ok) return { output: located.message, isError: true };
    const { target } = located;
    // --no-require-git: honor .gitignore in a workspace that is not a git repository too.
    const flags = [
      '--no-require-git',
      '--sort path',
      '--color never',
      '--max-columns 500',
      '--max-columns-preview',
      '--null',
      '--with-filename',
    ];
    if (mode === 'files_with_matches') flags.push('-l');
    if (mode === 'count') flags.push('-c');
    if (mode === 'content') flags.push('-n', '--no-heading');
    if (mode === 'content' && args.context) flags.push(`-C ${args.context}`);
    if (args.case_insensitive) flags.push('-i');
    if (split) flags.push(`-g ${shellQuote(split.pattern)}`);
    const command = `${target.enter}\nrg ${flags.join(' ')} -e ${shellQuote(args.pattern)} -- "$@"`;
    const result = await ctx.sandbox.exec(command, { cwd: '/', timeoutMs: 60_000, signal: ctx.signal });
    if (result.exitCode === MISSING_PATH) {
      return { output: await missingPathMessage(ctx, given, target.where), isError: true };
    }
    if (result.exitCode === 127) {
      return {
        output:
          'grep unavailable: ripgrep (rg) is not installed where this run executes; use bash with grep -rn instead',
        isError: true,
      };
    }
    const where = target.where;
    if (result.exitCode === 1 && !result.stdout) {
      const filtered = args.glob ? ` among files matching "${args.glob}"` : '';
      return { output: `No matches found for pattern "${args.pattern}" in ${where}${filtered}` };
    }
    if (result.exitCode !== 0 && !result.stdout) {
      return { output: `grep failed: ${result.stderr.trim()}`, isError: true };
    }
    const found = parse(result.stdout, mode, target);
    const total = found.lines.length;
    const offset = args.offset ?? 0;
    const limit = args.head_limit ?? DEFAULT_HEAD_LIMIT;
    const title = header(mode, found, where, args.context);
    if (offset >= total) {
      return {
        output: `${title}; offset ${offset} is past the end: there are ${plural(total, 'result line')}.`,
        isError: true,
      };
    }
    const page = found.lines.slice(offset, offset + limit);
    const last = offset + page.length;
    const note =
      offset > 0 || last < total
        ? `\n[showing result lines ${offset + 1}-${last} of ${total}${last < total ? `; continue with offset ${last}, or narrow the pattern, path or glob` : ''}]`
        : '';
    return { output: `${title}:\n${page.join('\n')}${note}` };
  },
};

import { z } from 'zod';
import { ShellSession } from './lib/shell-session.js';
import type { Tool, ToolContext, ToolResult } from './types.js';

const DEFAULT_TIMEOUT_MS = 120_000;
const MAX_TIMEOUT_MS = 600_000;
const SESSION_KEY = 'bash.session';
const BACKGROUND_KEY = 'bash.background';

const input = z.object({
  command: z.string().min(1).describe('The bash command to run, e.g. "npm test" or "ls -la src"'),
  timeout_ms: z
    .number()
    .int()
    .positive()
    .max(MAX_TIMEOUT_MS)
    .optional()
    .describe('Kill the command after this many milliseconds (default 120000, max 600000)'),
  run_in_background: z
    .boolean()
    .optional()
    .describe('Start a long-running process (a dev server, a watcher) and return at once with its log file'),
});

/** The run's shell, made on first use and kept in the run's tool state. */
export function sessionOf(ctx: ToolContext): ShellSession {
  let session = ctx.state.get(SESSION_KEY) as ShellSession | undefined;
  if (!session) {
    session = new ShellSession(ctx.sandbox, ctx.runId);
    ctx.state.set(SESSION_KEY, session);
  }
  return session;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

async function runInBackground(command: string, ctx: ToolContext): Promise<ToolResult> {
  const count = ((ctx.state.get(BACKGROUND_KEY) as number | undefined) ?? 0) + 1;
  ctx.state.set(BACKGROUND_KEY, count);
  const id = `bg-${count}`;
  const dir = `/tmp/runtools-bg-${ctx.runId.replace(/[^\w-]/g, '_')}`;
  const log = `${dir}/${id}.log`;
  // setsid: its own session, so a later command's timeout does not take the server down with it.
  const pidFile = `${dir}/${id}.pid`;
  // setsid may fork, so `$!` is not the new session's leader: the leader writes its own pid.
  const start = [
    `mkdir -p ${dir} && setsid bash -c 'echo $$ > "$1"; eval "$2"' _ ${pidFile} ${quote(command)} > ${log} 2>&1 < /dev/null &`,
    `for _ in $(seq 100); do [ -s ${pidFile} ] && break; sleep 0.02; done; cat ${pidFile}`,
  ].join('\n');
  const outcome = await sessionOf(ctx).run(start, { timeoutMs: 15_000, signal: ctx.signal });
  const pid = Number.parseInt(outcome.output.trim().split('\n').pop() ?? '', 10);
  if (outcome.exitCode !== 0 || !Number.isFinite(pid)) {
    return { output: `could not start the background command: ${outcome.output.trim()}`, isError: true };
  }
  return {
    output: [
      `Started in the background: id ${id}, pid ${pid}.`,
      `Output goes to ${log}; read it with: tail -n 50 ${log}`,
      `Stop it with: kill -- -${pid}`,
    ].join('\n'),
  };
}

function describe(outcome: Awaited<ReturnType<ShellSession['run']>>, timeoutMs: number): ToolResult {
  const text = outcome.output.replace(/\n$/, '');
  if (outcome.timedOut) {
    return {
      output: `${text ? `${text}\n\n` : ''}[timed out after ${timeoutMs / 1000} s: ${outcome.reset}; the working directory and exported variables are as they were before this command. If it waits for input, give it input another way; if it runs forever (a server), use run_in_background]`,
      isError: true,
    };
  }
  if (outcome.exitCode === null) {
    return {
      output: `${text ? `${text}\n\n` : ''}[${outcome.reset}; the next command starts a new shell with the working directory and exported variables from before]`,
      isError: true,
    };
  }
  if (!text) {
    return {
      output:
        outcome.exitCode === 0
          ? 'The command ran successfully and produced no output.'
          : `The command produced no output and exited with code ${outcome.exitCode}.`,
    };
  }
  return { output: outcome.exitCode === 0 ? text : `${text}\n\n[exit code ${outcome.exitCode}]` };
}

export const bashTool: Tool<typeof input> = {
  name: 'bash',
  description: [
    "Run a command in a persistent bash shell inside the run's sandbox (working directory /workspace).",
    'The shell persists between calls: cd and exported variables carry over.',
    'stdout and stderr come back interleaved, with the exit code when it is not 0; output over 30,000 characters is cut in the middle.',
    'Commands get no stdin (they must not wait for input) and are killed after timeout_ms (default 2 minutes, max 10).',
    'For servers and watchers use run_in_background: it returns at once with a log file to read later.',
    'Prefer the grep, glob, read_file and edit_file tools for searching, reading and editing files.',
  ].join(' '),
  inputSchema: input,
  async execute(args, ctx) {
    if (args.run_in_background) return runInBackground(args.command, ctx);
    const timeoutMs = args.timeout_ms ?? DEFAULT_TIMEOUT_MS;
    const outcome = await sessionOf(ctx).run(args.command, { timeoutMs, signal: ctx.signal });
    return describe(outcome, timeoutMs);
  },
};

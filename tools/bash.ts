import { z } from 'zod';
import { SandboxError } from '../src/sandbox/errors.js';
import { MAX_OUTPUT_CHARS } from './lib/output-cap.js';
import { nextNumber, runDir, shellQuote } from './lib/run-dir.js';
import { type CommandOutcome, ShellSession } from './lib/shell-session.js';
import type { Tool, ToolContext, ToolResult } from './types.js';

const DEFAULT_TIMEOUT_MS = 120_000;
const MAX_TIMEOUT_MS = 600_000;
const SESSION_KEY = 'bash.session';

const input = z.strictObject({
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

async function runInBackground(command: string, ctx: ToolContext): Promise<ToolResult> {
  const id = `bg-${nextNumber(ctx, 'bash.background')}`;
  const dir = runDir(ctx);
  const log = `${dir}/${id}.log`;
  // setsid: its own session, so a later command's timeout does not take the server down with it.
  const pidFile = `${dir}/${id}.pid`;
  // setsid may fork, so `$!` is not the new session's leader: the leader writes its own pid.
  const start = [
    `mkdir -p ${dir} && setsid bash -c 'echo $$ > "$1"; eval "$2"' _ ${pidFile} ${shellQuote(command)} > ${log} 2>&1 < /dev/null &`,
    `for _ in $(seq 100); do [ -s ${pidFile} ] && break; sleep 0.02; done; cat ${pidFile}`,
  ].join('\n');
  const outcome = await sessionOf(ctx).run(start, { timeoutMs: 15_000, signal: ctx.signal });
  const text = outcome.output.toString().trim();
  const pid = Number.parseInt(text.split('\n').pop() ?? '', 10);
  if (outcome.end.type !== 'done' || outcome.end.exitCode !== 0 || !Number.isFinite(pid)) {
    return { output: `could not start the background command: ${text}`, isError: true };
  }
  return {
    output: [
      `Started in the background: id ${id}, pid ${pid}.`,
      `Output goes to ${log}; read it with read_file (offset to skip what you saw) or: tail -n 50 ${log}`,
      `Stop it with: kill -- -${pid}`,
    ].join('\n'),
  };
}

/**
 * The output as the model sees it. A cut output is first kept whole in a file inside the sandbox,
 * so the model can page through it instead of running the command again.
 */
async function visibleOutput(outcome: CommandOutcome, ctx: ToolContext): Promise<string> {
  const cap = outcome.output;
  if (!cap.isCut) return cap.toString();
  const { text, complete } = cap.whole();
  const file = `${runDir(ctx)}/output-${nextNumber(ctx, 'bash.output')}.txt`;
  try {
    await ctx.sandbox.writeFile(file, text);
  } catch (error) {
    if (error instanceof SandboxError) throw error;
    return cap.toString(
      'it could not be kept in a file; redirect the command to a file and read parts of it to see more',
    );
  }
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  const what = complete
    ? `the whole output (${lines.toLocaleString('en-US')} lines) is in ${file}`
    : `its first ${text.length.toLocaleString('en-US')} characters (${lines.toLocaleString('en-US')} lines) are in ${file}`;
  return cap.toString(`${what}: page it with read_file (offset, limit) or search it with grep`);
}

function describe(text: string, outcome: CommandOutcome, timeoutMs: number): ToolResult {
  text = text.replace(/\n$/, '');
  const before = text ? `${text}\n\n` : '';
  const restart =
    'the next command starts a new shell in the working directory and with the exported variables from before';
  switch (outcome.end.type) {
    case 'timed_out':
      return {
        output: `${before}[timed out after ${timeoutMs / 1000} s: the command and its child processes were killed and the shell restarted; the working directory and exported variables are as they were before this command. If it waits for input, give it input another way; if it runs forever (a server), use run_in_background]`,
        isError: true,
      };
    case 'exited':
      return {
        output: `${before}[the shell exited with code ${outcome.end.exitCode}; ${restart}]`,
        isError: outcome.end.exitCode !== 0,
      };
    case 'lost':
      return {
        output: `${before}[the shell ended (replaced or killed by the command); ${restart}]`,
        isError: true,
      };
    case 'done': {
      const code = outcome.end.exitCode;
      if (!text) {
        return {
          output:
            code === 0
              ? 'The command ran successfully and produced no output.'
              : `The command produced no output and exited with code ${code}.`,
        };
      }
      return { output: code === 0 ? text : `${text}\n\n[exit code ${code}]` };
    }
    default: {
      const never: never = outcome.end;
      throw new Error(`unknown command end ${JSON.stringify(never)}`);
    }
  }
}

export const bashTool: Tool<typeof input> = {
  name: 'bash',
  description: [
    "Run a command in a persistent bash shell inside the run's sandbox (working directory /workspace).",
    'The shell persists between calls: cd and exported variables carry over. A timeout or an `exit` restarts it with the working directory and exported variables from before that command.',
    `stdout and stderr come back interleaved, with the exit code when it is not 0. Output over ${MAX_OUTPUT_CHARS.toLocaleString('en-US')} characters is cut in the middle;`,
    'the whole output is then kept in a file whose path the note gives: page it with read_file or search it with grep instead of running the command again.',
    'Commands get no stdin (they must not wait for input) and are killed after timeout_ms (default 2 minutes, max 10).',
    'For servers and watchers use run_in_background: it returns at once with a log file to read later.',
    'Prefer the grep, glob, read_file and edit_file tools for searching, reading and editing files.',
  ].join(' '),
  inputSchema: input,
  async execute(args, ctx) {
    if (args.run_in_background) return runInBackground(args.command, ctx);
    const timeoutMs = args.timeout_ms ?? DEFAULT_TIMEOUT_MS;
    const outcome = await sessionOf(ctx).run(args.command, { timeoutMs, signal: ctx.signal });
    return describe(await visibleOutput(outcome, ctx), outcome, timeoutMs);
  },
};

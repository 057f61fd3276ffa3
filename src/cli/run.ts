import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import type { RunRequestBody } from '../api/schemas.js';
import type { AgentRunData } from '../api/types.js';
import { type Connection, connect, type GlobalOptions, projectPaths } from './context.js';
import { followRun } from './follow.js';
import { collect, parseModel, parseMount, parsePositiveInt } from './options.js';
import { preflight } from './preflight.js';
import { exitCodeFor, runSummary } from './render/summary.js';

interface RunOptions {
  json?: boolean;
  pauseOnTool?: boolean;
  mount: string[];
  contextFile: string[];
  model?: string;
  runtimeVersion?: string;
  messageFile?: string;
}

export function runCommand(global: () => GlobalOptions): Command {
  return new Command('run')
    .description("run a deployment's agent and stream what it does")
    .argument('<apiSlug>', 'the deployment to run, e.g. demo or my-code-bot')
    .argument('[message...]', 'what the agent should do; "-" reads it from stdin')
    .option('--message-file <file>', 'read the message from a file instead')
    .option('--json', 'print one JSON event a line instead of the rendered view')
    .option(
      '--pause-on-tool',
      'hold each tool call BEFORE it runs: Enter runs it, "c" + Enter continues without pausing again, Ctrl-C cancels',
    )
    .option(
      '--mount <workspaceId:/path>',
      'mount a workspace into the run (repeatable; add :ro for read-only); an unknown id is created empty',
      collect,
      [],
    )
    .option(
      '--context-file <path>',
      "a file to put in front of the agent, as a path IN THE RUN'S WORKSPACE (/workspace/... or a --mount path), not on this machine (repeatable)",
      collect,
      [],
    )
    .option(
      '--model <model>',
      'use another model for this run: a name, scripted:<file> or replay:<runId|last>',
    )
    .option('--runtime-version <n>', 'run an earlier version of the runtime')
    .action(async (apiSlug: string, words: string[], options: RunOptions) => {
      const body: RunRequestBody = {
        message: readMessage(words, options.messageFile),
        mounts: options.mount.map(parseMount),
        context: { files: options.contextFile, history: [] },
        ...(options.model ? { model: parseModel(options.model) } : {}),
        ...(options.runtimeVersion
          ? { runtimeVersion: parsePositiveInt(options.runtimeVersion, '--runtime-version') }
          : {}),
      };
      process.exitCode = await startAndFollow(global(), apiSlug, body, options);
    });
}

/** The message: the words, all of stdin for "-", or a file's text. */
function readMessage(words: string[], file: string | undefined): string {
  if (file) {
    if (words.length > 0) throw new Error('give the message as words or with --message-file, not both');
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(
        `--message-file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}; check the path`,
      );
    }
  }
  if (words.length === 1 && words[0] === '-') {
    const text = readFileSync(0, 'utf8');
    if (!text.trim())
      throw new Error('the message from stdin is empty; pipe it in: echo "hello" | runtools run demo -');
    return text;
  }
  if (words.length === 0)
    throw new Error(
      'say what the agent should do: runtools run <apiSlug> "<message>" (or "-" for stdin, or --message-file)',
    );
  return words.join(' ');
}

/** Starts a run, streams it, prints the summary; returns the exit code for its final status. */
export async function startAndFollow(
  global: GlobalOptions,
  apiSlug: string,
  body: RunRequestBody,
  options: { json?: boolean; pauseOnTool?: boolean },
): Promise<number> {
  const conn = await connect(global);
  const { rt } = conn;
  try {
    const checked = await preflight(rt.api, apiSlug, body);
    for (const id of checked.notes.newWorkspaces) {
      process.stderr.write(
        pc.yellow(
          `workspace "${id}" does not exist: the run creates it as an empty managed workspace (remove it later with "runtools workspaces rm ${id}")\n`,
        ),
      );
    }
    const handle = await rt.agents.run(apiSlug, {
      ...checked.body,
      stream: true,
      ...(options.pauseOnTool ? { pauseBeforeTools: true } : {}),
    });
    if (!options.json) {
      const where =
        conn.mode === 'local'
          ? ' (in-process: no runtools dev server is running)'
          : ` (server ${conn.baseUrl})`;
      process.stderr.write(pc.dim(`▶ ${apiSlug} · run ${handle.id}${where}\n`));
    }
    const run = await followRun(rt, handle, {
      json: options.json === true,
      pauseOnTool: options.pauseOnTool === true,
    });
    if (!options.json) process.stdout.write(`\n${runSummary(run, pc)}\n`);
    const hint = providerKeyHint(run, conn, global);
    if (hint) process.stderr.write(`${pc.yellow(hint)}\n`);
    return exitCodeFor(run.status);
  } finally {
    await rt.close();
  }
}

/**
 * A missing provider key is read by the process that runs the model: the server, not this shell.
 * Say which server, and the .env file it also reads.
 */
function providerKeyHint(run: AgentRunData, conn: Connection, global: GlobalOptions): string | undefined {
  const match = /set ((?:ANTHROPIC|OPENAI|GEMINI|GOOGLE)_API_KEY)/.exec(run.error ?? '');
  if (!match) return undefined;
  const envFile = path.join(
    conn.mode === 'server' && conn.server?.configFile
      ? path.dirname(conn.server.configFile)
      : projectPaths(global).projectDir,
    '.env',
  );
  const who =
    conn.mode === 'server'
      ? `the runtools server at ${conn.baseUrl}${conn.server ? ` (pid ${conn.server.pid})` : ''} runs the model, so ITS environment needs ${match[1]}, not this shell's`
      : `${match[1]} is read by this process (no runtools dev server is running)`;
  return `note: ${who}. Export it where "runtools dev" starts and restart it, or add ${match[1]}=... to ${envFile} (read at start; never stored or logged).`;
}

import { Command } from 'commander';
import pc from 'picocolors';
import type { RunRequestBody } from '../api/schemas.js';
import { connect, type GlobalOptions } from './context.js';
import { followRun } from './follow.js';
import { collect, parseModel, parseMount, parsePositiveInt } from './options.js';
import { exitCodeFor, runSummary } from './render/summary.js';

interface RunOptions {
  json?: boolean;
  pauseOnTool?: boolean;
  mount: string[];
  contextFile: string[];
  model?: string;
  runtimeVersion?: string;
}

export function runCommand(global: () => GlobalOptions): Command {
  return new Command('run')
    .description("run a deployment's agent and stream what it does")
    .argument('<apiSlug>', 'the deployment to run, e.g. demo or my-code-bot')
    .argument('<message...>', 'what the agent should do')
    .option('--json', 'print one JSON event a line instead of the rendered view')
    .option('--pause-on-tool', 'pause after each tool call until you press Enter')
    .option(
      '--mount <workspaceId:/path>',
      'mount a workspace into the run (repeatable; add :ro for read-only)',
      collect,
      [],
    )
    .option(
      '--context-file <path>',
      "a file in the run's workspace to put in front of the agent (repeatable)",
      collect,
      [],
    )
    .option('--model <model>', 'use another model for this run: a name, scripted:<file> or replay:<runId>')
    .option('--runtime-version <n>', 'run an earlier version of the runtime')
    .action(async (apiSlug: string, words: string[], options: RunOptions) => {
      const body: RunRequestBody = {
        message: words.join(' '),
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

/** Starts a run, streams it, prints the summary; returns the exit code for its final status. */
export async function startAndFollow(
  global: GlobalOptions,
  apiSlug: string,
  body: RunRequestBody,
  options: { json?: boolean; pauseOnTool?: boolean },
): Promise<number> {
  const { rt, mode } = await connect(global);
  try {
    const handle = await rt.agents.run(apiSlug, {
      ...body,
      stream: true,
      ...(options.pauseOnTool ? { pauseBeforeTools: true } : {}),
    });
    if (!options.json) {
      const where = mode === 'local' ? ' (in-process: no runtools dev server is running)' : '';
      process.stderr.write(pc.dim(`▶ ${apiSlug} · run ${handle.id}${where}\n`));
    }
    const run = await followRun(rt, handle, {
      json: options.json === true,
      pauseOnTool: options.pauseOnTool === true,
    });
    if (!options.json) process.stdout.write(`\n${runSummary(run, pc)}\n`);
    return exitCodeFor(run.status);
  } finally {
    await rt.close();
  }
}

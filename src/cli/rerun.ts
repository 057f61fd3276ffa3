import { Command } from 'commander';
import pc from 'picocolors';
import type { RunToolsApi } from '../api/contract.js';
import { modelLabel } from '../api/model-names.js';
import type { AgentRunData } from '../api/types.js';
import { connect, type GlobalOptions } from './context.js';
import { followRun } from './follow.js';
import { parsePositiveInt } from './options.js';
import { sideBySide } from './render/side-by-side.js';
import { exitCodeFor } from './render/summary.js';
import { cost, count, duration, shorten } from './render/text.js';
import { resolveRunId } from './run-ids.js';

export function rerunCommand(global: () => GlobalOptions): Command {
  return new Command('rerun')
    .description(
      "send a run's input again, to the current (or a given) runtime version with its real model, and compare",
    )
    .argument('<id>', 'the run whose input to send again')
    .option('--version <n>', 'the runtime version to run (default: the current config)')
    .option('--json', "print the new run's events as JSON lines")
    .option(
      '--live',
      'call toolsets (gmail, MCP servers, TypeScript tools) again; by default a call the run recorded gets its recorded result',
    )
    .action(async (given: string, options: { version?: string; json?: boolean; live?: boolean }) => {
      const { rt } = await connect(global());
      try {
        const id = await resolveRunId(rt.api, given);
        const before = await rt.runs.get(id);
        const handle = await rt.agents.run(before.deployment, {
          message: before.input.message,
          mounts: before.input.mounts,
          context: before.input.context,
          ...(options.version ? { runtimeVersion: parsePositiveInt(options.version, '--version') } : {}),
          // The same toolset call (tool and input) as before gets the recorded result; new ones are made.
          toolsetCalls: options.live ? 'live' : { recorded: id },
          stream: true,
        });
        if (!options.json)
          process.stderr.write(pc.dim(`↻ running the input of ${id} again as run ${handle.id}\n`));
        const after = await followRun(rt, handle, { json: options.json === true, pauseOnTool: false });
        if (!options.json) {
          const rows = await compareRows(rt.api, before, after);
          process.stdout.write(`\n${sideBySide([`before: ${before.id}`, `now: ${after.id}`], rows)}\n`);
        }
        process.exitCode = exitCodeFor(after.status);
      } finally {
        await rt.close();
      }
    });
}

async function modelOf(api: RunToolsApi, run: AgentRunData): Promise<string> {
  if (run.input.model) return modelLabel(run.input.model);
  if (run.runtimeVersion === null) return '-';
  return modelLabel((await api.runtimes.version(run.runtimeSlug, run.runtimeVersion)).model);
}

/** The two runs, aspect by aspect: how each ended, what it cost, what it did and produced. */
async function compareRows(api: RunToolsApi, a: AgentRunData, b: AgentRunData) {
  const [modelA, modelB] = await Promise.all([modelOf(api, a), modelOf(api, b)]);
  const both = (label: string, f: (run: AgentRunData) => string) => ({ label, left: f(a), right: f(b) });
  return [
    both('status', (r) => r.status + (r.error ? `: ${r.error}` : '')),
    {
      label: 'runtime',
      left: `${a.runtimeSlug} v${a.runtimeVersion ?? '-'}`,
      right: `${b.runtimeSlug} v${b.runtimeVersion ?? '-'}`,
    },
    { label: 'model', left: modelA, right: modelB },
    both('turns', (r) => String(r.turns)),
    both('tokens', (r) => `${count(r.usage.inputTokens)} in / ${count(r.usage.outputTokens)} out`),
    both('cost', (r) => cost(r.usage.costUsd)),
    both('time', (r) => duration(r.durationMs)),
    both('tool calls', (r) => `${r.toolCalls.length}: ${r.toolCalls.map((c) => c.tool).join(', ') || '-'}`),
    both(
      'files',
      (r) =>
        r.files
          .map((f) => `${f.change === 'created' ? '+' : f.change === 'deleted' ? '-' : '~'} ${f.path}`)
          .join('\n') || '-',
    ),
    both('output', (r) => {
      const { lines, hidden } = shorten(r.output ?? '-', 8, 400);
      return lines.join('\n') + (hidden > 0 ? `\n… ${hidden} more lines` : '');
    }),
  ];
}

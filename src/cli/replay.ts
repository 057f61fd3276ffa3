import { Command } from 'commander';
import pc from 'picocolors';
import { isTerminal } from '../api/types.js';
import { connect, type GlobalOptions } from './context.js';
import { followRun } from './follow.js';
import { indent } from './render/text.js';
import { describeToolInput } from './render/tool-input.js';
import { compareReplay, outputDiff, type ReplayDifference } from './replay-diff.js';
import { resolveRunId } from './run-ids.js';
import { colorDiff } from './version-diff.js';

export function replayCommand(global: () => GlobalOptions): Command {
  return new Command('replay')
    .description(
      're-run a run with its recorded model turns, built-in tools for real (toolsets from the recording unless --live), and report results that now differ',
    )
    .argument('<id>', 'the run to replay (see "runtools runs list", or "runtools runs import")')
    .option('--json', "print the replay's events as JSON lines, then the differences as one JSON line")
    .option(
      '--live',
      'call toolsets (gmail, MCP servers, TypeScript tools) again instead of using their recorded results',
    )
    .action(async (given: string, options: { json?: boolean; live?: boolean }) => {
      const { rt } = await connect(global());
      try {
        const id = await resolveRunId(rt.api, given);
        const recorded = await rt.runs.get(id);
        if (!isTerminal(recorded.status))
          throw new Error(`run ${id} is ${recorded.status}; replay it once it has ended`);
        const runtimeVersion = recorded.runtimeVersion;
        if (runtimeVersion === null)
          throw new Error(`run ${id} ended before it started, so there is nothing to replay`);
        const handle = await rt.agents.run(recorded.deployment, {
          message: recorded.input.message,
          mounts: recorded.input.mounts,
          context: recorded.input.context,
          model: { provider: 'replay', run: id },
          ...(recorded.input.systemPrompt !== undefined ? { systemPrompt: recorded.input.systemPrompt } : {}),
          runtimeVersion,
          // A replay uses the recorded toolset results by default: no integration is called twice.
          ...(options.live ? { toolsetCalls: 'live' as const } : {}),
          stream: true,
        });
        if (!options.json)
          process.stderr.write(
            pc.dim(`↻ replaying ${id} as run ${handle.id} (${recorded.runtimeSlug} v${runtimeVersion})\n`),
          );
        const replay = await followRun(rt, handle, { json: options.json === true, pauseOnTool: false });
        const differences = compareReplay(recorded, replay);
        if (options.json) process.stdout.write(`${JSON.stringify({ replay: replay.id, differences })}\n`);
        else process.stdout.write(`\n${report(recorded.toolCalls.length, replay.id, differences)}\n`);
        process.exitCode = differences.length > 0 ? 1 : 0;
      } finally {
        await rt.close();
      }
    });
}

function report(recordedCalls: number, replayId: string, differences: ReplayDifference[]): string {
  const line = pc.dim('─'.repeat(60));
  if (differences.length === 0) {
    return `${line}\n${pc.green('✔ no differences')}: all ${recordedCalls} tool results match the recording (replay run ${replayId})`;
  }
  const parts = [
    line,
    pc.red(
      `✖ ${differences.length} difference${differences.length > 1 ? 's' : ''} from the recording (replay run ${replayId})`,
    ),
  ];
  for (const d of differences) {
    const head =
      d.kind === 'status'
        ? 'the run ended differently'
        : `tool call ${d.index}: ${pc.bold(d.tool)} ${describeToolInput(d.tool, d.input)}`;
    parts.push('', head);
    switch (d.kind) {
      case 'output':
        parts.push(indent(colorDiff(outputDiff(d.recorded, d.now)), '    '));
        break;
      case 'missing':
        parts.push('    the replay did not reach this call');
        break;
      case 'extra':
        parts.push('    the replay made a call the recording does not have');
        break;
      default:
        parts.push(`    recorded: ${d.recorded}`, `    now:      ${d.now}`);
    }
  }
  return parts.join('\n');
}

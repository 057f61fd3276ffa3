import { createTwoFilesPatch } from 'diff';
import type { AgentRunData, ToolCallRecord } from '../api/types.js';

/** One point where a replay went differently from the recorded run. */
export interface ReplayDifference {
  /** 1-based position of the tool call in the run. */
  index: number;
  tool: string;
  input: unknown;
  kind: 'output' | 'error_flag' | 'missing' | 'extra' | 'tool' | 'status';
  recorded: string;
  now: string;
}

/**
 * Compares a replay's tool results with the recorded ones, call by call. The model turns are the
 * recorded ones, so the calls line up; a result that differs is the world having changed (a file,
 * a command's output), which is what a replay is for finding.
 */
export function compareReplay(recorded: AgentRunData, replay: AgentRunData): ReplayDifference[] {
  const differences: ReplayDifference[] = [];
  const count = Math.max(recorded.toolCalls.length, replay.toolCalls.length);
  for (let i = 0; i < count; i++) {
    const before = recorded.toolCalls[i];
    const after = replay.toolCalls[i];
    const difference = compareCall(i + 1, before, after);
    if (difference) differences.push(difference);
  }
  if (recorded.status !== replay.status) {
    differences.push({
      index: count + 1,
      tool: '(run)',
      input: null,
      kind: 'status',
      recorded: `${recorded.status}${recorded.error ? `: ${recorded.error}` : ''}`,
      now: `${replay.status}${replay.error ? `: ${replay.error}` : ''}`,
    });
  }
  return differences;
}

function compareCall(
  index: number,
  before: ToolCallRecord | undefined,
  after: ToolCallRecord | undefined,
): ReplayDifference | undefined {
  if (before && !after) {
    return {
      index,
      tool: before.tool,
      input: before.input,
      kind: 'missing',
      recorded: before.output,
      now: '(not run)',
    };
  }
  if (!before && after) {
    return {
      index,
      tool: after.tool,
      input: after.input,
      kind: 'extra',
      recorded: '(not in the recording)',
      now: after.output,
    };
  }
  if (!before || !after) return undefined;
  if (before.tool !== after.tool) {
    return {
      index,
      tool: after.tool,
      input: after.input,
      kind: 'tool',
      recorded: before.tool,
      now: after.tool,
    };
  }
  if (before.output !== after.output) {
    return {
      index,
      tool: after.tool,
      input: after.input,
      kind: 'output',
      recorded: before.output,
      now: after.output,
    };
  }
  if (before.isError !== after.isError) {
    return {
      index,
      tool: after.tool,
      input: after.input,
      kind: 'error_flag',
      recorded: before.isError ? 'error' : 'ok',
      now: after.isError ? 'error' : 'ok',
    };
  }
  return undefined;
}

/** A unified diff of a recorded result and the new one, without the file header lines. */
export function outputDiff(recorded: string, now: string): string {
  return createTwoFilesPatch('recorded', 'now', `${recorded}\n`, `${now}\n`, undefined, undefined, {
    context: 2,
  })
    .split('\n')
    .filter((line) => !/^(Index:|={5,})/.test(line))
    .join('\n')
    .trimEnd();
}

import { isDeepStrictEqual } from 'node:util';
import type { ToolResult } from '../../tools/types.js';
import type { ModelConfig, ToolCallRecord, ToolsetCalls } from '../api/types.js';
import type { Store } from '../store/store.js';
import { isToolsetTool } from './approval.js';

/** Recorded results of toolset calls, handed out instead of calling the integration again. */
export interface RecordedResults {
  /** The run they were recorded in. */
  source: string;
  /**
   * The recorded result for this call, or undefined when the recording has none (the call is then
   * made). A call matches a recorded one with the same tool and input (preferring the same call id,
   * which a replay keeps; a rerun's model makes its own); each recorded result is used once.
   */
  take(callId: string, tool: string, input: unknown): ToolResult | undefined;
}

/**
 * Which run's recorded toolset results a run uses, if any: `toolsetCalls: {recorded}` names one,
 * `'live'` makes every call, and a replay (the `replay` model) uses its source run's by default.
 */
export function recordedSource(
  model: ModelConfig,
  toolsetCalls: ToolsetCalls | undefined,
): string | undefined {
  if (toolsetCalls === 'live') return undefined;
  if (toolsetCalls) return toolsetCalls.recorded;
  return typeof model === 'object' && model.provider === 'replay' ? model.run : undefined;
}

/**
 * The recorded toolset results of `source` (an email sent, an MCP server's side effects), so that
 * replaying or rerunning a run never calls an integration twice. Built-in tools still run for real
 * (the sandbox is local). Undefined when there is no such run.
 */
export function recordedToolsetResults(
  store: Store,
  source: string | undefined,
): RecordedResults | undefined {
  if (source === undefined) return undefined;
  const run = store.runs.get(source);
  if (!run) return undefined;
  const unused: (ToolCallRecord | undefined)[] = run.toolCalls.filter((call) => isToolsetTool(call.tool));
  const use = (index: number): ToolResult => {
    const call = unused[index]!;
    unused[index] = undefined;
    return { output: call.output, isError: call.isError };
  };
  return {
    source,
    take(callId, tool, input) {
      const same = (call: ToolCallRecord | undefined): call is ToolCallRecord =>
        call?.tool === tool && isDeepStrictEqual(call.input, input);
      // The recorded call with this id when it is the same call, else the first same call unused.
      const byId = unused.findIndex((call) => same(call) && call.callId === callId);
      const index = byId >= 0 ? byId : unused.findIndex(same);
      return index >= 0 ? use(index) : undefined;
    },
  };
}

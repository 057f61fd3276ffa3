import type { ToolResult } from '../../tools/types.js';
import type { ModelConfig } from '../api/types.js';
import type { Store } from '../store/store.js';
import { isToolsetTool } from './approval.js';

/**
 * When a run replays another run's model turns, its toolset calls (an email sent, an MCP server's
 * side effects) are not made again: they get the results the recorded run got, by call id. Built-in
 * tools still run for real (the sandbox is local). Undefined when the run is not a replay.
 */
export function recordedToolsetResults(
  store: Store,
  model: ModelConfig,
): Map<string, ToolResult> | undefined {
  if (typeof model !== 'object' || model.provider !== 'replay') return undefined;
  const source = store.runs.get(model.run);
  if (!source) return undefined;
  return new Map(
    source.toolCalls
      .filter((call) => isToolsetTool(call.tool))
      .map((call) => [call.callId, { output: call.output, isError: call.isError }]),
  );
}

import type { ToolResult } from '../../../tools/types.js';
import type { ToolMessage, ToolResultPart } from '../../api/messages.js';
import type { EventPayload, ToolCallRecord } from '../../api/types.js';
import type { Redactor } from '../redact.js';
import type { ToolCallChunk } from './model-turn.js';

export interface ToolStepDeps {
  /** Tools this runtime enables. */
  enabled: readonly string[];
  execute(name: string, input: unknown, signal: AbortSignal, callId: string): Promise<ToolResult>;
  emit(event: EventPayload): void;
  redactor: Redactor;
  /** Before a tool call runs: pause or stop here. Returns why a person denied the call, if they did. */
  checkpoint(call: { name: string; callId: string; input: unknown }): Promise<string | undefined>;
  signal: AbortSignal;
  now: () => Date;
}

export interface ToolStep {
  message: ToolMessage;
  records: ToolCallRecord[];
  /** Milliseconds spent inside tools (for overhead measurements). */
  toolMs: number;
}

/**
 * Runs a turn's tool calls in order. A bad call (unknown tool, invalid input, a tool that fails)
 * becomes an error result the model can read. If the run stops part-way, the calls not run get
 * results saying so, keeping the stored conversation valid for every provider.
 */
export async function runToolCalls(
  calls: ToolCallChunk[],
  deps: ToolStepDeps,
  onStop: (step: ToolStep) => void,
): Promise<ToolStep> {
  const results: ToolResultPart[] = [];
  const records: ToolCallRecord[] = [];
  let toolMs = 0;
  try {
    for (const call of calls) {
      // The call is announced first, so a run held here shows what it will run on resume.
      deps.emit({ type: 'tool_call', tool: call.name, input: call.input, callId: call.callId });
      const denied = await deps.checkpoint(call);
      const startedAt = deps.now();
      const started = performance.now();
      const result: ToolResult =
        denied === undefined
          ? await runOne(call, deps)
          : { output: `a person denied this call, so it did not run: ${denied}`, isError: true };
      const durationMs = performance.now() - started;
      toolMs += durationMs;
      const output = deps.redactor.string(result.output);
      const isError = result.isError === true;
      deps.emit({ type: 'tool_result', tool: call.name, output, callId: call.callId, isError });
      results.push({ type: 'tool_result', callId: call.callId, name: call.name, output, isError });
      records.push({
        callId: call.callId,
        tool: call.name,
        input: call.input,
        output,
        isError,
        startedAt: startedAt.toISOString(),
        durationMs: Math.round(durationMs),
      });
    }
  } catch (error) {
    const done = new Set(results.map((r) => r.callId));
    for (const call of calls) {
      if (done.has(call.callId)) continue;
      results.push({
        type: 'tool_result',
        callId: call.callId,
        name: call.name,
        output: 'not run: the run stopped first',
        isError: true,
      });
    }
    onStop({ message: { role: 'tool', content: results }, records, toolMs });
    throw error;
  }
  return { message: { role: 'tool', content: results }, records, toolMs };
}

async function runOne(call: ToolCallChunk, deps: ToolStepDeps): Promise<ToolResult> {
  if (call.inputError) {
    return {
      output: `invalid tool input: ${call.inputError}. Send the arguments of ${call.name} as one valid JSON object.`,
      isError: true,
    };
  }
  if (!deps.enabled.includes(call.name)) {
    return {
      output: `tool "${call.name}" is not available in this runtime; available tools: ${deps.enabled.join(', ') || 'none'}`,
      isError: true,
    };
  }
  return deps.execute(call.name, call.input, deps.signal, call.callId);
}

import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ToolResult } from '../../tools/types.js';
import { createRedactor } from '../engine/redact.js';
import type { ToolsetCallContext } from './types.js';

/** One line of a toolset's recording file. */
export interface RecordedCall {
  time: string;
  runId: string;
  callId: string | null;
  /** As the model named it: `gmail__send_email`. */
  tool: string;
  /** `stand-in`, `mcp`, `functions`; `live ...` when the live provider served it. */
  provider: string;
  input: unknown;
  output: string;
  isError: boolean;
}

/**
 * Appends a toolset's calls to its JSONL file, one line each, with the run's secrets redacted (an
 * MCP server may echo its token; a tool's input may quote one). A failed write goes to the log and
 * never fails the call: the recording is a by-product.
 */
export function recordCall(
  file: string,
  call: { tool: string; provider: string; input: unknown; result: ToolResult; now: Date },
  ctx: ToolsetCallContext,
  log: (message: string) => void,
): void {
  const redactor = createRedactor(ctx.secrets);
  const line: RecordedCall = {
    time: call.now.toISOString(),
    runId: ctx.runId,
    callId: ctx.callId ?? null,
    tool: call.tool,
    provider: call.provider,
    input: redactor.value(call.input),
    output: redactor.string(call.result.output),
    isError: call.result.isError === true,
  };
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  } catch (error) {
    log(`runtools: could not append ${call.tool} to the recording ${file}: ${(error as Error).message}`);
  }
}

import type { AssistantMessage, Message, TokenUsage } from '../../api/messages.js';
import type { EventPayload } from '../../api/types.js';
import type { ModelAdapter, ModelChunk, ModelToolSpec, StopReason } from '../../models/types.js';

export type ToolCallChunk = Extract<ModelChunk, { type: 'tool_call' }>;

export interface ModelTurn {
  message: AssistantMessage;
  toolCalls: ToolCallChunk[];
  usage: TokenUsage;
  reason: StopReason;
  /** Milliseconds spent waiting on the model (for overhead measurements). */
  modelMs: number;
}

/** Raised when a model stream ends without its `finish` chunk. */
export class IncompleteModelStream extends Error {}

/**
 * One model call: streams its text and thinking as events, collects its tool calls, and returns
 * the whole assistant message the adapter assembled.
 */
export async function modelTurn(
  adapter: ModelAdapter,
  request: { system: string; messages: Message[]; tools: ModelToolSpec[]; maxTokens?: number },
  signal: AbortSignal,
  emit: (event: EventPayload) => void,
): Promise<ModelTurn> {
  const started = performance.now();
  // A signal per turn: provider SDKs add an abort listener per request and never remove it, which
  // on the run's own signal would pile up one listener (and what it holds) per turn of a long run.
  const turn = new AbortController();
  const forward = () => turn.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  try {
    return await streamTurn(adapter, request, turn.signal, emit, started);
  } finally {
    signal.removeEventListener('abort', forward);
  }
}

async function streamTurn(
  adapter: ModelAdapter,
  request: { system: string; messages: Message[]; tools: ModelToolSpec[]; maxTokens?: number },
  signal: AbortSignal,
  emit: (event: EventPayload) => void,
  started: number,
): Promise<ModelTurn> {
  let modelMs = 0;
  const toolCalls: ToolCallChunk[] = [];
  let mark = performance.now();
  for await (const chunk of adapter.stream(request, signal)) {
    modelMs += performance.now() - mark;
    switch (chunk.type) {
      case 'text_delta':
        if (chunk.text) emit({ type: 'text', content: chunk.text });
        break;
      case 'thinking_delta':
        if (chunk.text) emit({ type: 'thinking', content: chunk.text });
        break;
      case 'tool_call':
        toolCalls.push(chunk);
        break;
      case 'usage':
        break;
      case 'finish':
        return { message: chunk.message, toolCalls, usage: chunk.usage, reason: chunk.reason, modelMs };
      default:
        assertNever(chunk);
    }
    mark = performance.now();
  }
  signal.throwIfAborted();
  throw new IncompleteModelStream(
    `the ${adapter.provider} model stream ended after ${Math.round(performance.now() - started)} ms without finishing its turn`,
  );
}

function assertNever(value: never): never {
  throw new Error(`unexpected model chunk ${JSON.stringify(value)}`);
}

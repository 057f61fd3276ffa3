import type { ChatCompletionChunk } from 'openai/resources/chat/completions/completions.js';
import type { CompletionUsage } from 'openai/resources/completions.js';
import { emptyUsage, type TokenUsage } from '../../api/messages.js';
import { streamError } from '../errors.js';
import { parseToolArguments } from '../tool-input.js';
import { type AssistantPart, appendText, endOfTurn } from '../turn.js';
import type { ModelChunk, StopReason } from '../types.js';

interface PendingCall {
  id: string;
  name: string;
  args: string;
}

/**
 * Fields some OpenAI-compatible servers add to a delta for the model's reasoning: vLLM, llama.cpp and
 * DeepSeek send `reasoning_content`, Ollama and OpenRouter `reasoning`. OpenAI's own API sends neither.
 */
interface ReasoningDelta {
  reasoning_content?: string | null;
  reasoning?: string | null;
}

/**
 * Translates Chat Completions chunks to neutral chunks. Tool calls arrive as fragments keyed by `index`
 * (the id and name in the first, arguments spread over the rest), so they are assembled and emitted
 * once the choice finishes. A stream that ends without a `finish_reason` was cut off.
 */
export async function* translateOpenAIStream(
  chunks: AsyncIterable<ChatCompletionChunk>,
  provider: string,
): AsyncGenerator<ModelChunk> {
  const content: AssistantPart[] = [];
  const calls = new Map<number, PendingCall>();
  let usage = emptyUsage();
  let reason: StopReason | undefined;

  for await (const chunk of chunks) {
    if (chunk.usage) usage = toUsage(chunk.usage);
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    const delta = choice.delta ?? {};
    const reasoning = (delta as ReasoningDelta).reasoning_content ?? (delta as ReasoningDelta).reasoning;
    if (reasoning) {
      appendText(content, 'thinking', reasoning);
      yield { type: 'thinking_delta', text: reasoning };
    }
    const text = delta.content ?? delta.refusal;
    if (text) {
      appendText(content, 'text', text);
      yield { type: 'text_delta', text };
    }
    for (const fragment of delta.tool_calls ?? []) {
      const call = calls.get(fragment.index) ?? { id: '', name: '', args: '' };
      if (fragment.id) call.id = fragment.id;
      if (fragment.function?.name) call.name += fragment.function.name;
      if (fragment.function?.arguments) call.args += fragment.function.arguments;
      calls.set(fragment.index, call);
    }
    if (choice.finish_reason) {
      reason = delta.refusal ? 'refusal' : mapFinishReason(choice.finish_reason);
      yield* flushCalls(calls, content, provider);
    }
  }
  if (reason === undefined) throw streamError(provider, 'the stream ended before a finish_reason');
  yield* endOfTurn(content, reason, usage);
}

function* flushCalls(calls: Map<number, PendingCall>, content: AssistantPart[], provider: string) {
  const ordered = [...calls.entries()].sort(([a], [b]) => a - b);
  calls.clear();
  for (const [index, call] of ordered) {
    if (call.name === '') throw streamError(provider, `tool call ${index} has no function name`);
    // Some servers omit ids; the loop needs one to pair the result with the call.
    const callId = call.id || `call_${index}_${Math.random().toString(36).slice(2, 10)}`;
    const parsed = parseToolArguments(call.args);
    content.push({ type: 'tool_call', callId, name: call.name, input: parsed.input });
    yield { type: 'tool_call' as const, callId, name: call.name, ...parsed };
  }
}

/** prompt_tokens include cached tokens and completion_tokens include reasoning; neutral input excludes the cache. */
function toUsage(wire: CompletionUsage): TokenUsage {
  const cached = wire.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    ...emptyUsage(),
    inputTokens: wire.prompt_tokens - cached,
    outputTokens: wire.completion_tokens,
    cacheReadTokens: cached,
    reasoningTokens: wire.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

function mapFinishReason(reason: string): StopReason {
  switch (reason) {
    case 'stop':
      return 'end_turn';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'length':
      return 'max_tokens';
    case 'content_filter':
      return 'refusal';
    default:
      return 'other';
  }
}

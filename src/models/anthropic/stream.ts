import type {
  RawMessageStreamEvent,
  StopReason as WireStopReason,
} from '@anthropic-ai/sdk/resources/messages/messages.js';
import { emptyUsage, type TokenUsage } from '../../api/messages.js';
import { streamError } from '../errors.js';
import { parseToolArguments } from '../tool-input.js';
import { type AssistantPart, appendText, endOfTurn } from '../turn.js';
import type { ModelChunk, StopReason } from '../types.js';

/** A tool_use block while its JSON arguments stream in. */
interface OpenToolCall {
  id: string;
  name: string;
  json: string;
}

/**
 * Translates Messages API stream events to neutral chunks. Content blocks are tracked by index because
 * a thinking block's signature arrives after its text, and a tool_use's arguments arrive as JSON
 * fragments that are only parsed at the block's end. A stream without `message_stop` was cut off.
 */
export async function* translateAnthropicStream(
  events: AsyncIterable<RawMessageStreamEvent>,
  provider: string,
): AsyncGenerator<ModelChunk> {
  const content: AssistantPart[] = [];
  const thinkingByIndex = new Map<number, Extract<AssistantPart, { type: 'thinking' }>>();
  const toolsByIndex = new Map<number, OpenToolCall>();
  let usage = emptyUsage();
  let reason: StopReason | undefined;
  let stopped = false;

  for await (const event of events) {
    switch (event.type) {
      case 'message_start':
        usage = mergeUsage(usage, event.message.usage);
        break;
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'thinking') {
          const part: AssistantPart = { type: 'thinking', text: block.thinking, signature: block.signature };
          content.push(part);
          thinkingByIndex.set(event.index, part);
          if (block.thinking !== '') yield { type: 'thinking_delta', text: block.thinking };
        } else if (block.type === 'redacted_thinking') {
          content.push({ type: 'thinking', text: '', redacted: block.data });
        } else if (block.type === 'tool_use') {
          toolsByIndex.set(event.index, { id: block.id, name: block.name, json: '' });
        } else if (block.type === 'text' && block.text !== '') {
          appendText(content, 'text', block.text);
          yield { type: 'text_delta', text: block.text };
        }
        break;
      }
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta.type === 'text_delta') {
          appendText(content, 'text', delta.text);
          yield { type: 'text_delta', text: delta.text };
        } else if (delta.type === 'thinking_delta') {
          const part = thinkingByIndex.get(event.index);
          if (part) part.text += delta.thinking;
          yield { type: 'thinking_delta', text: delta.thinking };
        } else if (delta.type === 'signature_delta') {
          const part = thinkingByIndex.get(event.index);
          if (part) part.signature = (part.signature ?? '') + delta.signature;
        } else if (delta.type === 'input_json_delta') {
          const call = toolsByIndex.get(event.index);
          if (!call) throw streamError(provider, `input_json_delta for unknown block ${event.index}`);
          call.json += delta.partial_json;
        }
        break;
      }
      case 'content_block_stop': {
        const call = toolsByIndex.get(event.index);
        if (!call) break;
        toolsByIndex.delete(event.index);
        const parsed = parseToolArguments(call.json);
        content.push({ type: 'tool_call', callId: call.id, name: call.name, input: parsed.input });
        yield { type: 'tool_call', callId: call.id, name: call.name, ...parsed };
        break;
      }
      case 'message_delta':
        usage = mergeUsage(usage, event.usage);
        if (event.delta.stop_reason) reason = mapStopReason(event.delta.stop_reason);
        break;
      case 'message_stop':
        stopped = true;
        break;
    }
  }
  if (!stopped) throw streamError(provider, 'the stream ended before message_stop');
  yield* endOfTurn(content, reason ?? 'other', usage);
}

interface WireUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/**
 * message_start carries the input counts, message_delta running totals of the rest; a field absent or
 * null in a later event keeps its earlier value. Anthropic's input_tokens already exclude cache reads and
 * writes, which is the neutral meaning; thinking is part of output_tokens and not reported apart.
 */
function mergeUsage(usage: TokenUsage, wire: WireUsage): TokenUsage {
  return {
    inputTokens: wire.input_tokens ?? usage.inputTokens,
    outputTokens: wire.output_tokens ?? usage.outputTokens,
    cacheReadTokens: wire.cache_read_input_tokens ?? usage.cacheReadTokens,
    cacheWriteTokens: wire.cache_creation_input_tokens ?? usage.cacheWriteTokens,
    reasoningTokens: usage.reasoningTokens,
  };
}

function mapStopReason(reason: WireStopReason): StopReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'end_turn';
    case 'tool_use':
      return 'tool_use';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'max_tokens';
    case 'refusal':
      return 'refusal';
    case 'pause_turn':
      return 'other';
    default:
      return 'other';
  }
}

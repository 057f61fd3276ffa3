import type {
  ResponseOutputItem,
  ResponseStreamEvent,
  ResponseUsage,
} from 'openai/resources/responses/responses.js';
import { emptyUsage, type TextPart, type ThinkingPart, type TokenUsage } from '../../api/messages.js';
import { streamError } from '../errors.js';
import { parseToolArguments } from '../tool-input.js';
import { type AssistantPart, endOfTurn } from '../turn.js';
import type { ModelChunk, StopReason } from '../types.js';
import { streamedError } from './client.js';
import { META } from './responses-request.js';

/** An output item while it streams, by its output_index. */
type OpenItem =
  | { type: 'reasoning'; id: string; summary: ThinkingPart[]; content: ThinkingPart[] }
  | { type: 'message'; id: string; parts: TextPart[] }
  | { type: 'function_call'; id: string | undefined; callId: string; name: string; args: string };

/**
 * Translates Responses API stream events to neutral chunks. Output items arrive one after another:
 * reasoning (summary text deltas, then the item with its encrypted reasoning when done), messages
 * (text deltas per content part) and function calls (argument deltas, complete when the item is
 * done). Every part keeps its item's id in `meta`, and a reasoning item its encrypted content, so
 * the next request can send the items back as they came. A stream that ends without
 * `response.completed` or `response.incomplete` was cut off.
 */
export async function* translateResponsesStream(
  events: AsyncIterable<ResponseStreamEvent>,
  provider: string,
): AsyncGenerator<ModelChunk> {
  const content: AssistantPart[] = [];
  const items = new Map<number, OpenItem>();
  let usage = emptyUsage();
  let reason: StopReason | undefined;
  let refused = false;

  const thinkingPart = (
    item: Extract<OpenItem, { type: 'reasoning' }>,
    field: 'summary' | 'content',
    index: number,
  ) => {
    const parts = item[field];
    let part = parts[index];
    if (!part) {
      part = {
        type: 'thinking',
        text: '',
        meta: {
          [META.itemId]: item.id,
          ...(field === 'content' ? { [META.reasoningField]: 'content' } : {}),
        },
      };
      parts[index] = part;
      content.push(part);
    }
    return part;
  };
  const textPart = (item: Extract<OpenItem, { type: 'message' }>, index: number) => {
    let part = item.parts[index];
    if (!part) {
      part = { type: 'text', text: '', meta: { [META.itemId]: item.id } };
      item.parts[index] = part;
      content.push(part);
    }
    return part;
  };
  const itemAt = <T extends OpenItem['type']>(index: number, type: T) => {
    const item = items.get(index);
    if (item?.type !== type)
      throw streamError(provider, `an event for ${type} item ${index}, which never started`);
    return item as Extract<OpenItem, { type: T }>;
  };

  for await (const event of events) {
    switch (event.type) {
      case 'response.output_item.added': {
        const item = event.item;
        if (item.type === 'reasoning')
          items.set(event.output_index, { type: 'reasoning', id: item.id, summary: [], content: [] });
        else if (item.type === 'message')
          items.set(event.output_index, { type: 'message', id: item.id, parts: [] });
        else if (item.type === 'function_call') {
          items.set(event.output_index, {
            type: 'function_call',
            id: item.id,
            callId: item.call_id,
            name: item.name,
            args: item.arguments ?? '',
          });
        }
        break;
      }
      case 'response.reasoning_summary_part.added':
        thinkingPart(itemAt(event.output_index, 'reasoning'), 'summary', event.summary_index);
        break;
      case 'response.reasoning_summary_text.delta':
        thinkingPart(itemAt(event.output_index, 'reasoning'), 'summary', event.summary_index).text +=
          event.delta;
        yield { type: 'thinking_delta', text: event.delta };
        break;
      case 'response.reasoning_text.delta':
        thinkingPart(itemAt(event.output_index, 'reasoning'), 'content', event.content_index).text +=
          event.delta;
        yield { type: 'thinking_delta', text: event.delta };
        break;
      case 'response.content_part.added':
        if (items.get(event.output_index)?.type === 'message') {
          textPart(itemAt(event.output_index, 'message'), event.content_index);
        }
        break;
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        if (event.type === 'response.refusal.delta') refused = true;
        textPart(itemAt(event.output_index, 'message'), event.content_index).text += event.delta;
        yield { type: 'text_delta', text: event.delta };
        break;
      case 'response.function_call_arguments.delta':
        itemAt(event.output_index, 'function_call').args += event.delta;
        break;
      case 'response.output_item.done': {
        const open = items.get(event.output_index);
        if (open) yield* finishItem(open, event.item, content, provider);
        break;
      }
      case 'response.completed':
      case 'response.incomplete':
        if (event.response.usage) usage = toUsage(event.response.usage);
        reason = stopReason(event.response.incomplete_details?.reason, refused, content);
        break;
      case 'response.failed':
        throw streamedError(
          provider,
          event.response.error?.code,
          event.response.error?.message ?? 'the response failed',
        );
      case 'error':
        throw streamedError(provider, event.code, event.message);
    }
  }
  if (reason === undefined) throw streamError(provider, 'the stream ended before response.completed');
  yield* endOfTurn(content, reason, usage);
}

/** The item as the API sums it up when done: its final text wins over the deltas. */
function* finishItem(
  open: OpenItem,
  done: ResponseOutputItem,
  content: AssistantPart[],
  provider: string,
): Generator<ModelChunk> {
  if (open.type === 'reasoning' && done.type === 'reasoning') {
    done.summary.forEach((summary, index) => {
      const part = open.summary[index];
      if (part) part.text = summary.text;
    });
    const parts = [...open.summary, ...open.content].filter((part) => part !== undefined);
    // Stateless, an item is only accepted back with its encrypted reasoning (or, from servers that send
    // raw reasoning text, with that text); one without either is shown but not sent back.
    const returnable = typeof done.encrypted_content === 'string' || open.content.length > 0;
    if (parts.length === 0 && returnable) {
      const part: ThinkingPart = { type: 'thinking', text: '', meta: { [META.itemId]: open.id } };
      content.push(part);
      parts.push(part);
    }
    for (const part of parts) if (!returnable) delete part.meta;
    const first = parts[0];
    if (first?.meta && typeof done.encrypted_content === 'string') {
      first.meta[META.encryptedContent] = done.encrypted_content;
    }
  } else if (open.type === 'message' && done.type === 'message') {
    done.content.forEach((part, index) => {
      const neutral = open.parts[index];
      if (neutral) neutral.text = part.type === 'output_text' ? part.text : part.refusal;
    });
    if (done.phase) for (const part of open.parts) if (part?.meta) part.meta[META.phase] = done.phase;
  } else if (open.type === 'function_call' && done.type === 'function_call') {
    const name = done.name || open.name;
    if (name === '') throw streamError(provider, `function call ${done.call_id} has no name`);
    const parsed = parseToolArguments(done.arguments ?? open.args);
    const id = done.id ?? open.id;
    content.push({
      type: 'tool_call',
      callId: done.call_id || open.callId,
      name,
      input: parsed.input,
      ...(id === undefined ? {} : { meta: { [META.itemId]: id } }),
    });
    yield { type: 'tool_call', callId: done.call_id || open.callId, name, ...parsed };
  }
}

function stopReason(incomplete: string | undefined, refused: boolean, content: AssistantPart[]): StopReason {
  if (incomplete === 'max_output_tokens') return 'max_tokens';
  if (incomplete === 'content_filter' || refused) return 'refusal';
  if (incomplete !== undefined) return 'other';
  return content.some((part) => part.type === 'tool_call') ? 'tool_use' : 'end_turn';
}

/** input_tokens include cached tokens and output_tokens include reasoning; neutral input excludes the cache. */
function toUsage(wire: ResponseUsage): TokenUsage {
  const cached = wire.input_tokens_details?.cached_tokens ?? 0;
  return {
    ...emptyUsage(),
    inputTokens: wire.input_tokens - cached,
    outputTokens: wire.output_tokens,
    cacheReadTokens: cached,
    reasoningTokens: wire.output_tokens_details?.reasoning_tokens ?? 0,
  };
}

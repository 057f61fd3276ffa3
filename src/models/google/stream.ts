import {
  FinishReason,
  type GenerateContentResponse,
  type GenerateContentResponseUsageMetadata,
} from '@google/genai';
import { emptyUsage, type TokenUsage } from '../../api/messages.js';
import { streamError } from '../errors.js';
import { type AssistantPart, appendText, endOfTurn } from '../turn.js';
import type { ModelChunk, StopReason } from '../types.js';
import { SYNTHETIC_ID } from './request.js';

/**
 * Translates generateContentStream responses to neutral chunks. Function calls arrive whole, so they are
 * emitted as they come. A stream whose candidate never reports a finishReason was cut off (Gemini has no
 * end marker of its own).
 */
export async function* translateGoogleStream(
  responses: AsyncIterable<GenerateContentResponse>,
  provider: string,
): AsyncGenerator<ModelChunk> {
  const content: AssistantPart[] = [];
  let usage = emptyUsage();
  let reason: StopReason | undefined;
  let callCount = 0;

  for await (const response of responses) {
    if (response.usageMetadata) usage = toUsage(response.usageMetadata);
    const blocked = response.promptFeedback?.blockReason;
    if (blocked && !response.candidates?.length) reason = 'refusal';
    const candidate = response.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      if (part.functionCall) {
        const call = part.functionCall;
        if (!call.name) throw streamError(provider, 'a functionCall part has no name');
        const callId = call.id ?? `gemini_call_${callCount}_${Math.random().toString(36).slice(2, 10)}`;
        callCount++;
        const meta: Record<string, string> = {};
        if (part.thoughtSignature) meta.thoughtSignature = part.thoughtSignature;
        if (!call.id) meta[SYNTHETIC_ID] = 'true';
        const input = call.args ?? {};
        content.push({
          type: 'tool_call',
          callId,
          name: call.name,
          input,
          ...(Object.keys(meta).length > 0 ? { meta } : {}),
        });
        yield { type: 'tool_call', callId, name: call.name, input };
      } else if (typeof part.text === 'string' && part.text !== '') {
        const kind = part.thought ? 'thinking' : 'text';
        appendText(content, kind, part.text);
        yield { type: kind === 'text' ? 'text_delta' : 'thinking_delta', text: part.text };
      }
    }
    if (candidate?.finishReason) reason = mapFinishReason(candidate.finishReason);
  }
  if (reason === undefined) throw streamError(provider, 'the stream ended before a finishReason');
  yield* endOfTurn(content, reason, usage);
}

/**
 * promptTokenCount includes cached tokens and candidatesTokenCount excludes thinking; neutral input
 * excludes the cache and neutral output includes thinking, as the other providers count them.
 */
function toUsage(wire: GenerateContentResponseUsageMetadata): TokenUsage {
  const cached = wire.cachedContentTokenCount ?? 0;
  const thoughts = wire.thoughtsTokenCount ?? 0;
  return {
    ...emptyUsage(),
    inputTokens: (wire.promptTokenCount ?? 0) - cached,
    outputTokens: (wire.candidatesTokenCount ?? 0) + thoughts,
    cacheReadTokens: cached,
    reasoningTokens: thoughts,
  };
}

function mapFinishReason(reason: FinishReason): StopReason {
  switch (reason) {
    case FinishReason.STOP:
      return 'end_turn';
    case FinishReason.MAX_TOKENS:
      return 'max_tokens';
    case FinishReason.SAFETY:
    case FinishReason.RECITATION:
    case FinishReason.BLOCKLIST:
    case FinishReason.PROHIBITED_CONTENT:
    case FinishReason.SPII:
    case FinishReason.IMAGE_SAFETY:
      return 'refusal';
    default:
      return 'other';
  }
}

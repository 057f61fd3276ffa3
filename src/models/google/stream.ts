import type {
  FinishReason,
  GenerateContentResponse,
  GenerateContentResponseUsageMetadata,
} from '@google/genai';
import { emptyUsage, type TokenUsage } from '../../api/messages.js';
import { streamError } from '../errors.js';
import { type AssistantPart, endOfTurn } from '../turn.js';
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
      } else if (typeof part.text === 'string') {
        const kind = part.thought ? 'thinking' : 'text';
        appendSignedText(content, kind, part.text, part.thoughtSignature);
        if (part.text !== '') {
          yield { type: kind === 'text' ? 'text_delta' : 'thinking_delta', text: part.text };
        }
      }
    }
    if (candidate?.finishReason) reason = mapFinishReason(candidate.finishReason);
  }
  if (reason === undefined) throw streamError(provider, 'the stream ended before a finishReason');
  yield* endOfTurn(content, reason, usage);
}

/**
 * Streamed text joins the text or thought part before it, as one part of a non-streamed response
 * would hold it. A thoughtSignature (Gemini may put one on any part, often on a last chunk with empty
 * text) stays on the part it closes, and the next text starts a new part: Gemini wants signed parts
 * back as they were, not merged with others.
 */
function appendSignedText(
  content: AssistantPart[],
  kind: 'text' | 'thinking',
  text: string,
  signature: string | undefined,
): void {
  const last = content.at(-1);
  const open = last?.type === kind && last.meta?.thoughtSignature === undefined ? last : undefined;
  if (open) {
    open.text += text;
    if (signature) open.meta = { ...open.meta, thoughtSignature: signature };
    return;
  }
  if (text === '' && !signature) return;
  const meta = signature ? { meta: { thoughtSignature: signature } } : {};
  content.push(kind === 'text' ? { type: 'text', text, ...meta } : { type: 'thinking', text, ...meta });
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

/** FinishReason's values as strings: the enum is a value of the SDK, which loads only on first use. */
function mapFinishReason(reason: FinishReason): StopReason {
  switch (reason as string) {
    case 'STOP':
      return 'end_turn';
    case 'MAX_TOKENS':
      return 'max_tokens';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
      return 'refusal';
    default:
      return 'other';
  }
}

import type { AssistantMessage, TokenUsage } from '../api/messages.js';
import { abortedError } from './errors.js';
import { sleep } from './retry.js';
import { endOfTurn } from './turn.js';
import type { ModelChunk } from './types.js';

/**
 * Plays a finished assistant message as the chunk stream a provider would have sent: thinking and text
 * as word-sized deltas, each tool call whole, then usage and finish. Used by the offline models, so the
 * loop cannot tell them from a real provider.
 */
export async function* playMessage(
  message: AssistantMessage,
  usage: TokenUsage,
  signal: AbortSignal,
  provider: string,
  delayMs = 0,
): AsyncGenerator<ModelChunk> {
  if (delayMs > 0) await sleep(delayMs, signal);
  for (const part of message.content) {
    if (signal.aborted) throw abortedError(provider);
    switch (part.type) {
      case 'text':
        for (const text of words(part.text)) yield { type: 'text_delta', text };
        break;
      case 'thinking':
        for (const text of words(part.text)) yield { type: 'thinking_delta', text };
        break;
      case 'tool_call':
        yield { type: 'tool_call', callId: part.callId, name: part.name, input: part.input };
        break;
    }
  }
  if (signal.aborted) throw abortedError(provider);
  const reason = message.content.some((part) => part.type === 'tool_call') ? 'tool_use' : 'end_turn';
  yield* endOfTurn(structuredClone(message.content), reason, usage);
}

/** Splits text into words with their trailing whitespace; joined they give the text back exactly. */
export const words = (text: string): string[] => text.match(/\s*\S+\s*/g) ?? (text === '' ? [] : [text]);

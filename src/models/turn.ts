import type { AssistantMessage, TokenUsage } from '../api/messages.js';
import type { ModelChunk, StopReason } from './types.js';

export type AssistantPart = AssistantMessage['content'][number];

/**
 * Appends streamed text to the message being built: to the last part when it is of the same kind, else
 * as a new part, so a turn keeps its order (thinking, text, tool calls, more text...).
 */
export function appendText(content: AssistantPart[], kind: 'text' | 'thinking', text: string): void {
  const last = content.at(-1);
  if (last?.type === kind) {
    last.text += text;
    return;
  }
  content.push(kind === 'text' ? { type: 'text', text } : { type: 'thinking', text });
}

/**
 * Some servers (Gemini always, Ollama and others sometimes) report a plain stop for a turn that made
 * tool calls; the calls are what the loop acts on, so they decide.
 */
export function settleStopReason(reason: StopReason, content: AssistantPart[]): StopReason {
  const hasCalls = content.some((part) => part.type === 'tool_call');
  return hasCalls && reason === 'end_turn' ? 'tool_use' : reason;
}

/**
 * The two chunks that end every turn, from every adapter: the final usage, then `finish` with the whole
 * message. Adapters emit usage once, here, so the chunk sequence is the same whichever provider reports
 * running totals mid-stream and whichever only at the end.
 */
export function endOfTurn(content: AssistantPart[], reason: StopReason, usage: TokenUsage): ModelChunk[] {
  const message: AssistantMessage = {
    role: 'assistant',
    // An empty text part is kept only when it carries provider data (a Gemini thoughtSignature).
    content: content.filter((part) => part.type !== 'text' || part.text !== '' || part.meta !== undefined),
  };
  return [
    { type: 'usage', usage },
    { type: 'finish', reason: settleStopReason(reason, content), message, usage },
  ];
}

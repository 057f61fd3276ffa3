import type { AssistantMessage, Message, TokenUsage } from '../api/messages.js';
import type { ToolChoice } from '../api/types.js';
import type { ModelPrice } from './prices.js';

/** A tool as the model sees it: name, description and a JSON Schema for its input. */
export interface ModelToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** One model call: everything an adapter needs, in the neutral format. */
export interface ModelRequest {
  system: string;
  messages: Message[];
  tools: ModelToolSpec[];
  /** Output token cap for this call; adapters pick a sane default when absent. */
  maxTokens?: number;
  /** Unset leaves the provider's default (auto). Adapters map it as is; see tool-choice.ts for the policy. */
  toolChoice?: ToolChoice;
}

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal' | 'other';

/**
 * What an adapter yields while a model call streams, in the style of the AI SDK's stream parts.
 * Deltas come first; `finish` is always last and carries the whole assistant message (with thinking
 * signatures and provider metadata intact) so the loop never re-assembles provider data itself.
 */
export type ModelChunk =
  | { type: 'text_delta'; text: string }
  | { type: 'thinking_delta'; text: string }
  /** A complete tool call. `inputError` is set when the model's arguments were not valid JSON. */
  | { type: 'tool_call'; callId: string; name: string; input: unknown; inputError?: string }
  /** Usage of this call so far (running totals, not increments). */
  | { type: 'usage'; usage: TokenUsage }
  | { type: 'finish'; reason: StopReason; message: AssistantMessage; usage: TokenUsage };

/** A model behind one provider's protocol. */
export interface ModelAdapter {
  /** Provider name for logs and pricing: anthropic, openai, google, custom, scripted, replay. */
  readonly provider: string;
  /** Model name for pricing (`claude-opus-4-5`...); a scripted model's is the model it stands in for. */
  readonly model: string;
  /** Prices given in the config (a custom model's); they win over the price table. */
  readonly price?: ModelPrice;
  /** Streams one model call. Aborting `signal` stops the HTTP stream at once and rejects with an AbortError. */
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelChunk>;
}

/**
 * The neutral conversation format used everywhere inside runtools and returned as `run.messages`.
 * Each model adapter translates it to and from its provider's wire format.
 */

/**
 * Provider data on an assistant part that must go back to the provider unchanged on the next turn:
 * Gemini's `thoughtSignature`; the Responses API's `itemId`, `encryptedContent` (a reasoning item's
 * encrypted reasoning) and `phase`. Each adapter reads only its own keys.
 */
export type PartMeta = Record<string, string>;

/** Plain text from the user or the assistant. */
export interface TextPart {
  type: 'text';
  text: string;
  meta?: PartMeta;
}

/**
 * The model's reasoning. `signature` (Anthropic) and `redacted` (Anthropic's encrypted block) must be
 * sent back unchanged on the next turn, so they are kept with the text; so is `meta` (Gemini's
 * thoughtSignature, an OpenAI reasoning item's id and encrypted content).
 */
export interface ThinkingPart {
  type: 'thinking';
  text: string;
  signature?: string;
  redacted?: string;
  meta?: PartMeta;
}

/** A tool call the assistant made. `meta` keeps provider data that must round-trip (Gemini's thoughtSignature). */
export interface ToolCallPart {
  type: 'tool_call';
  callId: string;
  name: string;
  input: unknown;
  meta?: PartMeta;
}

/** The result of one tool call, sent back to the model. */
export interface ToolResultPart {
  type: 'tool_result';
  callId: string;
  name: string;
  output: string;
  isError: boolean;
}

export interface UserMessage {
  role: 'user';
  content: TextPart[];
}

export interface AssistantMessage {
  role: 'assistant';
  content: Array<TextPart | ThinkingPart | ToolCallPart>;
}

export interface ToolMessage {
  role: 'tool';
  content: ToolResultPart[];
}

export type Message = UserMessage | AssistantMessage | ToolMessage;

/** Token counts of one model call or summed over a run. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
}

export const emptyUsage = (): TokenUsage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
});

export const addUsage = (a: TokenUsage, b: TokenUsage): TokenUsage => ({
  inputTokens: a.inputTokens + b.inputTokens,
  outputTokens: a.outputTokens + b.outputTokens,
  cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
  cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
  reasoningTokens: a.reasoningTokens + b.reasoningTokens,
});

/** The text of an assistant message, its parts joined. */
export const assistantText = (message: AssistantMessage): string =>
  message.content
    .filter((part): part is TextPart => part.type === 'text')
    .map((part) => part.text)
    .join('');

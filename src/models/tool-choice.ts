import type { Message } from '../api/messages.js';
import type { ToolChoice } from '../api/types.js';
import { ModelError } from './errors.js';
import type { ModelAdapter, ModelRequest } from './types.js';

/** A tool choice with its alias resolved: what every adapter maps to its provider's field. */
export type ResolvedToolChoice =
  | { type: 'auto' }
  | { type: 'required' }
  | { type: 'none' }
  | { type: 'tool'; name: string };

/** `any` and `required` are one choice: Anthropic and Gemini call it `any`, OpenAI `required`. */
export function resolveToolChoice(choice: ToolChoice | undefined): ResolvedToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (typeof choice === 'object') return { type: 'tool', name: choice.tool };
  return { type: choice === 'any' ? 'required' : choice };
}

const isForced = (choice: ToolChoice): boolean =>
  choice === 'any' || choice === 'required' || typeof choice === 'object';

/** True when the newest message is the user's: the turn answers them rather than tool results. */
const answersUser = (messages: Message[]): boolean => messages.at(-1)?.role === 'user';

/**
 * The adapter with a runtime's or run's toolChoice set on every request. A forced choice (`required`,
 * `any`, a named tool) applies to turns that answer a user message; after tool results the model
 * chooses freely, as the OpenAI Agents SDK resets it, or a forced run could never end. `none` and
 * `auto` hold on every turn. A named tool the request does not offer fails the call with the fix,
 * before any provider answers with a 400.
 */
export function withToolChoice(adapter: ModelAdapter, choice: ToolChoice | undefined): ModelAdapter {
  if (choice === undefined) return adapter;
  return {
    provider: adapter.provider,
    model: adapter.model,
    ...(adapter.price === undefined ? {} : { price: adapter.price }),
    async *stream(request: ModelRequest, signal: AbortSignal) {
      if (isForced(choice) && request.tools.length === 0) {
        throw new ModelError(
          'config',
          `toolChoice ${JSON.stringify(choice)} forces a tool call, but this runtime enables no tools; add tools or remove toolChoice`,
          { provider: adapter.provider },
        );
      }
      if (typeof choice === 'object' && !request.tools.some((tool) => tool.name === choice.tool)) {
        throw new ModelError(
          'config',
          `toolChoice names the tool "${choice.tool}", which this runtime does not enable (it has ${request.tools.map((tool) => tool.name).join(', ') || 'no tools'}); add it to tools or change toolChoice`,
          { provider: adapter.provider },
        );
      }
      const applies = !isForced(choice) || answersUser(request.messages);
      yield* adapter.stream(applies ? { ...request, toolChoice: choice } : request, signal);
    },
  };
}

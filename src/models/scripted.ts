import type { AssistantMessage } from '../api/messages.js';
import { emptyUsage } from '../api/messages.js';
import { ModelError } from './errors.js';
import { playMessage } from './play.js';
import { sleep } from './retry.js';
import { loadScript, type ScriptTurn } from './script-file.js';
import type { ModelAdapter, ModelChunk, ModelRequest } from './types.js';

/**
 * A model that plays a declared list of assistant turns from a JSON file: no key, no network. Each call
 * to `stream` plays the next turn, so create one adapter per run. The file looks like:
 *
 * ```json
 * {
 *   "turns": [
 *     { "thinking": "The user wants a listing.", "text": "Let me look.",
 *       "toolCalls": [{ "name": "bash", "input": { "command": "ls" } }] },
 *     { "text": "There are two files.", "delayMs": 200 }
 *   ]
 * }
 * ```
 *
 * Per turn: `text`, `thinking`, `toolCalls` (`name`, `input` object, optional `id`, which defaults to
 * `call_<turn>_<index>`), `delayMs` (waited before the turn, cut short by cancellation), `usage` (token
 * counts to report, priced as the model the config's `model` names; zeros otherwise) and `error` (`{"kind": "overloaded", "message": "..."}`: the turn
 * fails instead; a retryable kind is retried like a real provider's, and the retry plays the next turn).
 * A turn needs text, toolCalls or error. When the loop asks for more turns than the script has, the
 * call fails with an `exhausted` error.
 */
export function createScriptedAdapter(script: string, baseDir: string, standsFor?: string): ModelAdapter {
  const { path, script: parsed } = loadScript(script, baseDir);
  let next = 0;
  return {
    provider: 'scripted',
    // Usage is priced under this name: the model the script stands in for.
    model: standsFor ?? 'scripted',
    async *stream(_request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelChunk> {
      const index = next++;
      const turn = parsed.turns[index];
      if (!turn) {
        throw new ModelError(
          'exhausted',
          `script ${path} has ${parsed.turns.length} turns; the loop asked for turn ${index + 1}`,
          { provider: 'scripted' },
        );
      }
      if (turn.error) {
        await sleep(turn.delayMs ?? 0, signal);
        throw new ModelError(
          turn.error.kind,
          turn.error.message ?? `scripted ${turn.error.kind} error (turn ${index + 1})`,
          {
            provider: 'scripted',
          },
        );
      }
      yield* playMessage(
        scriptedMessage(turn, index),
        { ...emptyUsage(), ...turn.usage },
        signal,
        'scripted',
        turn.delayMs,
      );
    },
  };
}

/** A script turn as the neutral assistant message it stands for. */
export function scriptedMessage(turn: ScriptTurn, index: number): AssistantMessage {
  const content: AssistantMessage['content'] = [];
  if (turn.thinking !== undefined) content.push({ type: 'thinking', text: turn.thinking });
  if (turn.text !== undefined) content.push({ type: 'text', text: turn.text });
  (turn.toolCalls ?? []).forEach((call, callIndex) => {
    content.push({
      type: 'tool_call',
      callId: call.id ?? `call_${index + 1}_${callIndex + 1}`,
      name: call.name,
      input: call.input,
    });
  });
  return { role: 'assistant', content };
}

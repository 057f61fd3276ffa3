import type { AssistantMessage } from '../api/messages.js';
import { emptyUsage } from '../api/messages.js';
import { ModelError } from './errors.js';
import { playMessage } from './play.js';
import type { ModelAdapter, ModelChunk, ModelRequest } from './types.js';

/**
 * Plays back the assistant turns recorded in a stored run, in order, one per call, so a run can be
 * re-executed against the same model output (tools run again for real). Create one adapter per run.
 * Recorded turns carry no usage, so usage is reported as zero.
 */
export function createReplayAdapter(runId: string, turns: AssistantMessage[] | undefined): ModelAdapter {
  if (turns === undefined) {
    throw new ModelError('config', `replay model: run ${runId} does not exist; give the id of a stored run`, {
      provider: 'replay',
    });
  }
  const recorded = turns;
  let next = 0;
  return {
    provider: 'replay',
    model: 'replay',
    async *stream(_request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelChunk> {
      const index = next++;
      const turn = recorded[index];
      if (!turn) {
        throw new ModelError(
          'exhausted',
          `run ${runId} recorded ${recorded.length} model turns; the loop asked for turn ${index + 1}`,
          { provider: 'replay' },
        );
      }
      yield* playMessage(turn, emptyUsage(), signal, 'replay');
    },
  };
}

import { abortedError, type ModelError } from './errors.js';
import type { ModelChunk } from './types.js';

/**
 * One provider call's chunks with the SDK's failures made ours: an abort is always an aborted
 * ModelError (the SDKs end an aborted stream quietly, or throw their own kinds), anything else goes
 * through the provider's `toModelError`.
 */
export async function* guardedStream(
  provider: string,
  signal: AbortSignal,
  chunks: () => AsyncIterable<ModelChunk> | Promise<AsyncIterable<ModelChunk>>,
  toModelError: (error: unknown) => ModelError,
): AsyncGenerator<ModelChunk> {
  try {
    yield* await chunks();
  } catch (error) {
    throw signal.aborted ? abortedError(provider) : toModelError(error);
  }
  if (signal.aborted) throw abortedError(provider);
}

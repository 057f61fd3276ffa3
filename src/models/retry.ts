import { abortedError, ModelError } from './errors.js';
import type { ModelAdapter, ModelChunk, ModelRequest } from './types.js';

export interface RetryOptions {
  /** First backoff in ms; attempt n waits about base * 2^n, with jitter. */
  baseMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Longest wait we accept: a longer `retry-after` or backoff fails the call instead of stalling the run. */
  maxDelayMs?: number;
  /** Source of jitter, in [0, 1); tests may pin it. */
  random?: () => number;
}

const DEFAULT_MAX_DELAY_MS = 60_000;

/**
 * The one place model calls are retried, so every provider behaves the same (the SDKs' own retries are
 * off). Retryable errors (429, 529/overloaded, 5xx, connection failures, an Anthropic `event: error`)
 * are retried only while nothing has been yielded for the attempt: once deltas reached the loop they
 * may already be shown to users or recorded as events, and a silent restart would show them twice or
 * change what was said. A failure after the first chunk is therefore an error the loop sees.
 */
export function withRetry(adapter: ModelAdapter, options: RetryOptions): ModelAdapter {
  return {
    provider: adapter.provider,
    model: adapter.model,
    ...(adapter.price === undefined ? {} : { price: adapter.price }),
    stream: (request, signal) => retryingStream(adapter, request, signal, options),
  };
}

async function* retryingStream(
  adapter: ModelAdapter,
  request: ModelRequest,
  signal: AbortSignal,
  options: RetryOptions,
): AsyncGenerator<ModelChunk> {
  for (let attempt = 0; ; attempt++) {
    let yielded = false;
    try {
      for await (const chunk of adapter.stream(request, signal)) {
        yielded = true;
        yield chunk;
      }
      return;
    } catch (error) {
      if (signal.aborted) throw abortedError(adapter.provider);
      const delay = retryDelay(error, attempt, yielded, options);
      if (delay === undefined) throw error;
      await sleep(delay, signal);
    }
  }
}

/** How long to wait before the next attempt, or undefined when the error must reach the caller. */
export function retryDelay(
  error: unknown,
  attempt: number,
  yielded: boolean,
  options: RetryOptions,
): number | undefined {
  if (!ModelError.is(error) || !error.retryable || yielded || attempt >= options.maxRetries) return undefined;
  const maxDelay = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= maxDelay ? error.retryAfterMs : undefined;
  }
  const random = options.random ?? Math.random;
  const exponential = options.baseMs * 2 ** attempt;
  // "Equal jitter": at least half the backoff, so retries never bunch up at zero.
  return Math.min(maxDelay, exponential / 2 + (random() * exponential) / 2);
}

/** Waits `ms`, or rejects with an aborted ModelError as soon as `signal` fires. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortedError());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

import Anthropic, { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import {
  abortedError,
  httpError,
  ModelError,
  type ModelErrorKind,
  networkError,
  streamError,
} from '../errors.js';
import { guardedStream } from '../guarded-stream.js';
import type { ModelAdapter, ModelChunk, ModelRequest } from '../types.js';
import { type AnthropicSettings, toAnthropicRequest } from './request.js';
import { translateAnthropicStream } from './stream.js';

export interface AnthropicAdapterOptions extends AnthropicSettings {
  apiKey: string;
  /** API base without `/v1`; undefined is Anthropic's public API. */
  baseURL: string | undefined;
  /** `anthropic`, or `custom` for an Anthropic-compatible server. */
  provider: string;
  /** Replaces the global fetch (custom endpoints on a non-standard path). */
  fetch?: typeof fetch;
}

const PUBLIC_BASE_URL = 'https://api.anthropic.com';

/** A model behind the Anthropic Messages API, streamed. Retries are the caller's (see retry.ts). */
export function createAnthropicAdapter(options: AnthropicAdapterOptions): ModelAdapter {
  // Everything explicit: the SDK would otherwise read ANTHROPIC_* from process.env or a profile file.
  const client = new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseURL ?? PUBLIC_BASE_URL,
    maxRetries: 0,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const provider = options.provider;
  return {
    provider,
    model: options.model,
    async *stream(request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelChunk> {
      yield* guardedStream(
        provider,
        signal,
        async () =>
          translateAnthropicStream(
            await client.messages.create(toAnthropicRequest(request, options), { signal }),
            provider,
          ),
        (error) => toModelError(error, provider),
      );
    },
  };
}

/** Anthropic's error `type` for errors without an HTTP status: the `event: error` inside a stream. */
const STREAM_ERROR_KINDS: Record<string, ModelErrorKind> = {
  overloaded_error: 'overloaded',
  rate_limit_error: 'rate_limit',
  api_error: 'server',
  timeout_error: 'server',
  authentication_error: 'auth',
  permission_error: 'auth',
  invalid_request_error: 'bad_request',
  request_too_large: 'bad_request',
};

function toModelError(error: unknown, provider: string): ModelError {
  if (ModelError.is(error)) return error;
  if (error instanceof APIUserAbortError) return abortedError(provider);
  if (error instanceof APIConnectionError) return networkError(provider, error.message, error);
  if (error instanceof APIError) {
    const detail = error.apiMessage ?? error.message;
    if (error.status !== undefined) return httpError(provider, error.status, detail, error.headers, error);
    const kind = STREAM_ERROR_KINDS[error.type ?? ''] ?? 'stream';
    return new ModelError(kind, `${provider} reported ${error.type ?? 'an error'} mid-stream: ${detail}`, {
      provider,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return streamError(provider, message, error);
}

import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
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
import { type OpenAISettings, toOpenAIRequest } from './request.js';
import { translateOpenAIStream } from './stream.js';

export interface OpenAIAdapterOptions extends OpenAISettings {
  apiKey: string;
  /** API base including `/v1`; undefined is OpenAI's public API. */
  baseURL: string | undefined;
  /** `openai`, or `custom` for an OpenAI-compatible server. */
  provider: string;
}

const PUBLIC_BASE_URL = 'https://api.openai.com/v1';

/** A model behind the Chat Completions API, streamed. Retries are the caller's (see retry.ts). */
export function createOpenAIAdapter(options: OpenAIAdapterOptions): ModelAdapter {
  // Everything explicit: the SDK would otherwise read OPENAI_* from process.env.
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL ?? PUBLIC_BASE_URL,
    organization: null,
    project: null,
    maxRetries: 0,
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
          translateOpenAIStream(
            await client.chat.completions.create(toOpenAIRequest(request, options), { signal }),
            provider,
          ),
        (error) => toModelError(error, provider),
      );
    },
  };
}

/** The `type` of an error object sent inside a stream (no HTTP status to go by). */
const STREAM_ERROR_KINDS: Record<string, ModelErrorKind> = {
  server_error: 'server',
  rate_limit_exceeded: 'rate_limit',
  insufficient_quota: 'rate_limit',
  invalid_request_error: 'bad_request',
};

function toModelError(error: unknown, provider: string): ModelError {
  if (ModelError.is(error)) return error;
  if (error instanceof APIUserAbortError) return abortedError(provider);
  if (error instanceof APIConnectionError) return networkError(provider, error.message, error);
  if (error instanceof APIError) {
    if (error.status !== undefined)
      return httpError(provider, error.status, error.message, error.headers, error);
    const kind = STREAM_ERROR_KINDS[error.type ?? error.code ?? ''] ?? 'stream';
    return new ModelError(kind, `${provider} reported an error mid-stream: ${error.message}`, {
      provider,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return streamError(provider, message, error);
}

import type Anthropic from '@anthropic-ai/sdk';
import type { Stream } from '@anthropic-ai/sdk/core/streaming.js';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages.js';
import {
  abortedError,
  httpError,
  ModelError,
  type ModelErrorKind,
  networkError,
  streamError,
} from '../errors.js';
import { guardedStream } from '../guarded-stream.js';
import { type ModelLog, SDK_LOG_LEVEL, sdkLogger, stderrLog } from '../sdk-log.js';
import type { ModelAdapter, ModelChunk, ModelRequest } from '../types.js';
import { logModelNotices } from './notices.js';
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
  /** Where SDK warnings and model deprecation notices go; stderr when unset. */
  log?: ModelLog;
}

const PUBLIC_BASE_URL = 'https://api.anthropic.com';
/** The SDK's own default for a streamed request. */
const REQUEST_TIMEOUT_MS = 600_000;

type AnthropicSdk = typeof import('@anthropic-ai/sdk');
let loading: Promise<AnthropicSdk> | undefined;

/**
 * The SDK is loaded on the first model call, not when runtools is imported: most processes (the CLI
 * listing runs, scripted runs, tests) never talk to Anthropic and should not pay for loading it.
 */
const loadSdk = (): Promise<AnthropicSdk> => {
  loading ??= import('@anthropic-ai/sdk');
  return loading;
};

/** A model behind the Anthropic Messages API, streamed. Retries are the caller's (see retry.ts). */
export function createAnthropicAdapter(options: AnthropicAdapterOptions): ModelAdapter {
  const provider = options.provider;
  const log = options.log ?? stderrLog;
  let client: Anthropic | undefined;
  const clientOf = (sdk: AnthropicSdk): Anthropic => {
    // Everything explicit: the SDK would otherwise read ANTHROPIC_* from process.env or a profile file.
    client ??= new sdk.Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseURL ?? PUBLIC_BASE_URL,
      maxRetries: 0,
      logger: sdkLogger('Anthropic', log),
      logLevel: SDK_LOG_LEVEL,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
    return client;
  };
  return {
    provider,
    model: options.model,
    async *stream(request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelChunk> {
      let sdk: AnthropicSdk | undefined;
      yield* guardedStream(
        provider,
        signal,
        async () => {
          sdk = await loadSdk();
          const body = toAnthropicRequest(request, options);
          logModelNotices(log, body.model, body.thinking?.type === 'enabled');
          // The request messages.create would send, without its per-request console.warn of
          // deprecation notices (logged once per model above instead).
          const events = await clientOf(sdk).post<Stream<RawMessageStreamEvent>>('/v1/messages', {
            body,
            stream: true,
            signal,
            timeout: REQUEST_TIMEOUT_MS,
          });
          return translateAnthropicStream(events, provider);
        },
        (error) => toModelError(error, provider, sdk),
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

function toModelError(error: unknown, provider: string, sdk: AnthropicSdk | undefined): ModelError {
  if (ModelError.is(error)) return error;
  if (sdk === undefined) {
    const message = error instanceof Error ? error.message : String(error);
    return new ModelError('config', `could not load @anthropic-ai/sdk: ${message}; reinstall runtools`, {
      provider,
      cause: error,
    });
  }
  if (error instanceof sdk.APIUserAbortError) return abortedError(provider);
  if (error instanceof sdk.APIConnectionError) return networkError(provider, error.message, error);
  if (error instanceof sdk.APIError) {
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

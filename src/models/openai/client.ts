import type OpenAI from 'openai';
import {
  abortedError,
  httpError,
  ModelError,
  type ModelErrorKind,
  networkError,
  streamError,
} from '../errors.js';
import { type ModelLog, SDK_LOG_LEVEL, sdkLogger } from '../sdk-log.js';

export type OpenAISdk = typeof import('openai');
let loading: Promise<OpenAISdk> | undefined;

/**
 * The SDK is loaded on the first model call, not when runtools is imported: most processes (the CLI
 * listing runs, scripted runs, tests) never talk to OpenAI and should not pay for loading it.
 */
export const loadOpenAISdk = (): Promise<OpenAISdk> => {
  loading ??= import('openai');
  return loading;
};

export interface OpenAIConnection {
  apiKey: string;
  /** API base including `/v1`. */
  baseURL: string;
  log: ModelLog;
}

/** A client with everything explicit: the SDK would otherwise read OPENAI_* from process.env. */
export function openAIClient(sdk: OpenAISdk, connection: OpenAIConnection): OpenAI {
  return new sdk.OpenAI({
    apiKey: connection.apiKey,
    baseURL: connection.baseURL,
    organization: null,
    project: null,
    maxRetries: 0,
    logger: sdkLogger('OpenAI', connection.log),
    logLevel: SDK_LOG_LEVEL,
  });
}

/** The `type` or `code` of an error object sent inside a stream (no HTTP status to go by). */
const STREAM_ERROR_KINDS: Record<string, ModelErrorKind> = {
  server_error: 'server',
  rate_limit_exceeded: 'rate_limit',
  insufficient_quota: 'rate_limit',
  invalid_request_error: 'bad_request',
  invalid_prompt: 'bad_request',
};

/** A ModelError for an error object reported inside a stream (Chat Completions chunk, Responses event). */
export function streamedError(
  provider: string,
  code: string | null | undefined,
  message: string,
): ModelError {
  const kind = STREAM_ERROR_KINDS[code ?? ''] ?? 'stream';
  return new ModelError(kind, `${provider} reported an error mid-stream: ${message}`, { provider });
}

export function toOpenAIModelError(error: unknown, provider: string, sdk: OpenAISdk | undefined): ModelError {
  if (ModelError.is(error)) return error;
  if (sdk === undefined) {
    const message = error instanceof Error ? error.message : String(error);
    return new ModelError('config', `could not load openai: ${message}; reinstall runtools`, {
      provider,
      cause: error,
    });
  }
  if (error instanceof sdk.APIUserAbortError) return abortedError(provider);
  if (error instanceof sdk.APIConnectionError) return networkError(provider, error.message, error);
  if (error instanceof sdk.APIError) {
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

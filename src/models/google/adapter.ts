import type { GoogleGenAI } from '@google/genai';
import { type HeaderLookup, httpError, ModelError, networkError, streamError } from '../errors.js';
import { guardedStream } from '../guarded-stream.js';
import type { ModelAdapter, ModelChunk, ModelRequest } from '../types.js';
import { type GoogleSettings, toGoogleRequest } from './request.js';
import { translateGoogleStream } from './stream.js';

export interface GoogleAdapterOptions extends GoogleSettings {
  apiKey: string;
  /** Undefined is Google's public Gemini API. */
  baseURL: string | undefined;
}

const PUBLIC_BASE_URL = 'https://generativelanguage.googleapis.com';
const PROVIDER = 'google';

type GoogleSdk = typeof import('@google/genai');
let loading: Promise<GoogleSdk> | undefined;

/** Loaded on the first model call, not when runtools is imported (see the Anthropic adapter). */
const loadSdk = (): Promise<GoogleSdk> => {
  loading ??= import('@google/genai');
  return loading;
};

/**
 * A Gemini model behind generateContentStream. The SDK retries nothing by default; retry.ts does.
 * It takes no logger: its console.warn calls sit on helpers runtools does not use (`response.text`).
 */
export function createGoogleAdapter(options: GoogleAdapterOptions): ModelAdapter {
  let client: GoogleGenAI | undefined;
  const clientOf = (sdk: GoogleSdk): GoogleGenAI => {
    // Everything explicit: the SDK would otherwise read GOOGLE_*/GEMINI_* from process.env.
    client ??= new sdk.GoogleGenAI({
      apiKey: options.apiKey,
      vertexai: false,
      httpOptions: { baseUrl: options.baseURL ?? PUBLIC_BASE_URL },
    });
    return client;
  };
  return {
    provider: PROVIDER,
    model: options.model,
    async *stream(request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelChunk> {
      // ApiError carries no headers, so a wrapping fetch keeps the failed reply's, for retry-after.
      let failedHeaders: Headers | undefined;
      const fetchKeepingHeaders: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (!response.ok) failedHeaders = response.headers;
        return response;
      };
      let sdk: GoogleSdk | undefined;
      yield* guardedStream(
        PROVIDER,
        signal,
        async () => {
          sdk = await loadSdk();
          const params = toGoogleRequest(request, options, signal);
          params.config.httpOptions = { fetch: fetchKeepingHeaders };
          return translateGoogleStream(await clientOf(sdk).models.generateContentStream(params), PROVIDER);
        },
        (error) => toModelError(error, failedHeaders, sdk),
      );
    },
  };
}

interface GoogleErrorBody {
  error?: { message?: string; status?: string; details?: Array<{ '@type'?: string; retryDelay?: string }> };
}

function toModelError(
  error: unknown,
  headers: HeaderLookup | undefined,
  sdk: GoogleSdk | undefined,
): ModelError {
  if (ModelError.is(error)) return error;
  if (sdk === undefined) {
    const message = error instanceof Error ? error.message : String(error);
    return new ModelError('config', `could not load @google/genai: ${message}; reinstall runtools`, {
      provider: PROVIDER,
      cause: error,
    });
  }
  if (error instanceof sdk.ApiError) {
    const body = parseBody(error.message);
    const detail = body?.error?.message ?? error.message;
    const modelError = httpError(PROVIDER, error.status, detail, headers, error);
    const retryAfterMs = modelError.retryAfterMs ?? retryInfoDelay(body);
    if (retryAfterMs === undefined) return modelError;
    return new ModelError(modelError.kind, modelError.message, {
      status: error.status,
      provider: PROVIDER,
      retryAfterMs,
      cause: error,
    });
  }
  if (error instanceof TypeError && /fetch failed/i.test(error.message)) {
    return networkError(PROVIDER, String(error.cause ?? error.message), error);
  }
  const message = error instanceof Error ? error.message : String(error);
  return streamError(PROVIDER, message, error);
}

/** ApiError's message is the reply body as JSON, or "got status: ... {json}" for errors inside the stream. */
function parseBody(message: string): GoogleErrorBody | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  try {
    return JSON.parse(message.slice(start)) as GoogleErrorBody;
  } catch {
    return undefined;
  }
}

/** Gemini says how long to wait in a google.rpc.RetryInfo detail ("retryDelay": "13s"), not a header. */
function retryInfoDelay(body: GoogleErrorBody | undefined): number | undefined {
  const delay = body?.error?.details?.find((detail) => detail['@type']?.endsWith('RetryInfo'))?.retryDelay;
  const seconds = Number.parseFloat(delay ?? '');
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

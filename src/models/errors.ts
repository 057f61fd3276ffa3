/** What went wrong in a model call. The agent loop and the retry wrapper decide on `kind` and `retryable`. */
export type ModelErrorKind =
  /** No key, a bad key, or a key without access. */
  | 'auth'
  | 'rate_limit'
  | 'overloaded'
  /** A 5xx from the provider. */
  | 'server'
  /** The provider rejected the request (4xx other than auth and rate limits). */
  | 'bad_request'
  /** The connection failed before a response arrived. */
  | 'network'
  /** The response stream was malformed or ended before the model finished. */
  | 'stream'
  /** The model config cannot work: unknown model, bad script file, missing run. */
  | 'config'
  /** A scripted or replayed model has no turn left for the loop's request. */
  | 'exhausted'
  | 'aborted';

export interface ModelErrorOptions {
  status?: number;
  /** How long the provider asked us to wait before retrying. */
  retryAfterMs?: number;
  provider?: string;
  cause?: unknown;
}

const RETRYABLE: Record<ModelErrorKind, boolean> = {
  auth: false,
  rate_limit: true,
  overloaded: true,
  server: true,
  bad_request: false,
  network: true,
  stream: true,
  config: false,
  exhausted: false,
  aborted: false,
};

/**
 * Every error a model adapter raises. `message` says what happened and what to do about it. An aborted
 * call is a ModelError of kind `aborted` whose `name` is `AbortError`, so code that checks the DOM
 * convention and code that checks `kind` both see it.
 */
export class ModelError extends Error {
  readonly kind: ModelErrorKind;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly provider: string | undefined;

  constructor(kind: ModelErrorKind, message: string, options: ModelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = kind === 'aborted' ? 'AbortError' : 'ModelError';
    this.kind = kind;
    this.retryable = RETRYABLE[kind];
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.provider = options.provider;
  }

  static is(value: unknown): value is ModelError {
    return value instanceof ModelError;
  }
}

export const abortedError = (provider?: string): ModelError =>
  new ModelError('aborted', 'the model call was cancelled', provider === undefined ? {} : { provider });

/** The error kind an HTTP status means, by the providers' documented codes. */
export function kindForStatus(status: number): ModelErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limit';
  if (status === 529 || status === 503) return 'overloaded';
  if (status >= 500) return 'server';
  // 408 (request timeout) and 409 (conflict) are transient by the providers' own retry rules.
  if (status === 408 || status === 409) return 'server';
  return 'bad_request';
}

const ADVICE: Record<ModelErrorKind, string> = {
  auth: 'check the API key and that it has access to this model',
  rate_limit: 'the provider is rate limiting this key; wait or lower the concurrency',
  overloaded: 'the provider is overloaded; try again later',
  server: 'the provider had an internal error; try again later',
  bad_request: 'the provider rejected the request',
  network: 'check the network and the base URL',
  stream: 'the response stream broke off; try again',
  config: 'fix the model config',
  exhausted: 'add turns to the script',
  aborted: '',
};

/** A ModelError for an HTTP error reply. */
export function httpError(
  provider: string,
  status: number,
  detail: string,
  headers: HeaderLookup | undefined,
  cause?: unknown,
): ModelError {
  const kind = kindForStatus(status);
  const retryAfterMs = headers ? retryAfterFromHeaders(headers) : undefined;
  return new ModelError(kind, `${provider} returned HTTP ${status}: ${detail} (${ADVICE[kind]})`, {
    status,
    provider,
    cause,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/** A ModelError for a response stream that broke off or could not be parsed. */
export function streamError(provider: string, detail: string, cause?: unknown): ModelError {
  return new ModelError('stream', `${provider} stream failed: ${detail} (${ADVICE.stream})`, {
    provider,
    cause,
  });
}

export function networkError(provider: string, detail: string, cause?: unknown): ModelError {
  return new ModelError('network', `could not reach ${provider}: ${detail} (${ADVICE.network})`, {
    provider,
    cause,
  });
}

export interface HeaderLookup {
  get(name: string): string | null;
}

/** `retry-after-ms` (milliseconds) wins over `retry-after` (seconds, or an HTTP date). */
export function retryAfterFromHeaders(headers: HeaderLookup, now: number = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

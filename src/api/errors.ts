/** The kinds of error the API returns; each maps to one HTTP status. */
export type RunToolsErrorType =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unavailable'
  | 'internal';

const STATUS: Record<RunToolsErrorType, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

/**
 * Every error runtools raises or returns. `message` says what was wrong and how to fix it;
 * `details` carries machine-readable specifics (for example the failing fields).
 */
/** Marks errors of every copy of this class: `runtools` and `@runtools/sdk` each bundle one. */
const BRAND = Symbol.for('runtools.error');

export class RunToolsError extends Error {
  readonly [BRAND] = true;
  readonly status: number;
  readonly type: RunToolsErrorType;
  readonly details: unknown;

  constructor(type: RunToolsErrorType, message: string, details?: unknown, status?: number) {
    super(message);
    this.name = 'RunToolsError';
    this.type = type;
    this.status = status ?? STATUS[type];
    this.details = details;
  }

  /** The JSON body the HTTP API sends for this error. */
  toJSON(): { error: { type: RunToolsErrorType; message: string; details?: unknown } } {
    return {
      error: {
        type: this.type,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }

  static is(value: unknown): value is RunToolsError {
    return value instanceof RunToolsError;
  }

  /**
   * `instanceof` holds for an error from either package's copy of this class, so code that
   * imports it from `@runtools/sdk` recognises what `RunTools.local()` (from `runtools`) throws.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: subclasses inherit this method; for them, the usual prototype check.
    if (this !== RunToolsError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }
}

export const invalid = (message: string, details?: unknown) =>
  new RunToolsError('invalid_request', message, details);
export const notFound = (message: string, details?: unknown) =>
  new RunToolsError('not_found', message, details);
export const conflict = (message: string, details?: unknown) =>
  new RunToolsError('conflict', message, details);

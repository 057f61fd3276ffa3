import { inspect } from 'node:util';

/** Where model adapters send what the provider SDKs have to say: runtools' log, never the console. */
export type ModelLog = (message: string) => void;

/** The logger shape the Anthropic and OpenAI SDKs take (`logger` client option). */
export interface SdkLogger {
  error(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  debug(message: string, ...rest: unknown[]): void;
}

/**
 * The SDKs log at `warn` and above: retries and request details (info, debug) are noise here, since
 * retry.ts does the retrying and says so in the run's events.
 */
export const SDK_LOG_LEVEL = 'warn';

/** Writes a line to stderr, the engine's default log; stdout belongs to the CLI's output. */
export const stderrLog: ModelLog = (message) => {
  process.stderr.write(`${message}\n`);
};

/** Lines already written in this process: an SDK warning repeats on every request otherwise. */
const written = new Set<string>();

/** Writes `message` once per process for a given `key` (e.g. a deprecation notice per model). */
export function logOnce(log: ModelLog, key: string, message: string): void {
  if (written.has(key)) return;
  written.add(key);
  log(message);
}

/**
 * A logger for an SDK client that writes to runtools' log. Each distinct line is written once per
 * process: the SDKs repeat their warnings on every request.
 */
export function sdkLogger(sdk: string, log: ModelLog): SdkLogger {
  const line =
    (level: string) =>
    (message: string, ...rest: unknown[]) => {
      const detail = rest.map((value) => (typeof value === 'string' ? value : inspect(value))).join(' ');
      const text = `runtools: ${sdk} SDK ${level}: ${message}${detail === '' ? '' : ` ${detail}`}`;
      logOnce(log, text, text);
    };
  return { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug') };
}

import { ModelError } from './errors.js';

export type Env = Record<string, string | undefined>;

/** The key and base URL for one hosted provider, read from the env record the engine passes in. */
export interface Connection {
  apiKey: string;
  /** Undefined means the SDK's public default. */
  baseURL: string | undefined;
}

type Hosted = 'anthropic' | 'openai' | 'google';

/** Key variables in order of precedence (Google's SDK lets GOOGLE_API_KEY win, so we do too). */
const KEY_VARS: Record<Hosted, string[]> = {
  anthropic: ['ANTHROPIC_API_KEY'],
  openai: ['OPENAI_API_KEY'],
  google: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'],
};

const BASE_URL_VAR: Record<Hosted, string> = {
  anthropic: 'ANTHROPIC_BASE_URL',
  openai: 'OPENAI_BASE_URL',
  google: 'GOOGLE_GEMINI_BASE_URL',
};

/**
 * Reads a provider's key and base URL. A missing key fails here, before any request, with the variable
 * to set, instead of surfacing later as an SDK stack trace.
 */
export function connectionFor(provider: Hosted, model: string, env: Env): Connection {
  const vars = KEY_VARS[provider];
  const apiKey = vars.map((name) => nonEmpty(env[name])).find((value) => value !== undefined);
  if (apiKey === undefined) {
    throw new ModelError(
      'auth',
      `set ${vars.join(' or ')} to use ${model}, or switch the runtime to a scripted model`,
      { provider },
    );
  }
  return { apiKey, baseURL: nonEmpty(env[BASE_URL_VAR[provider]]) };
}

const nonEmpty = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
};

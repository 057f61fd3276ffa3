/** Replaces secret values with `[secret:NAME]` wherever they appear. */
export interface Redactor {
  readonly active: boolean;
  string(text: string): string;
  /** A deep copy of `value` with every string redacted (the value itself when there is nothing to redact). */
  value<T>(value: T): T;
}

// Shorter values would redact ordinary words; secrets are longer than this in practice.
const MIN_SECRET_LENGTH = 4;

export function createRedactor(secrets: Record<string, string>): Redactor {
  // Longest first, so a secret that contains another is replaced whole.
  const entries = Object.entries(secrets)
    .filter(([, value]) => value.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b[1].length - a[1].length);
  const string = (text: string): string => {
    let out = text;
    for (const [name, secret] of entries)
      if (out.includes(secret)) out = out.split(secret).join(`[secret:${name}]`);
    return out;
  };
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return string(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    }
    return value;
  };
  return {
    active: entries.length > 0,
    string: entries.length > 0 ? string : (text) => text,
    value: <T>(value: T): T => (entries.length > 0 ? (walk(value) as T) : value),
  };
}

export const NO_REDACTION = createRedactor({});

/** US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/**
 * When the table below was last compared with published prices. On 2026-11-29 only secondary
 * sources quoting the providers' pricing pages could be reached from here: they agree for the
 * Anthropic 4.5 family, gpt-5.2, gpt-5-mini and gemini-3-pro; the other rows were not re-checked.
 * Check docs.anthropic.com/en/docs/about-claude/pricing, platform.openai.com/docs/pricing and
 * ai.google.dev/pricing, then update this date.
 */
export const PRICES_CHECKED = '2026-11-29';

/**
 * Public list prices, standard tier, short-context rates; the one table of them in runtools.
 * Anthropic cache writes are the 5-minute rate (1.25x input), which is what the adapter requests;
 * OpenAI and Gemini do not charge for implicit cache writes, so the write price is the input price.
 * A model missing here has an unknown cost, unless its config gives `price`.
 */
export const PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-opus-4-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'claude-sonnet-4-5': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  'gpt-5.2': { input: 1.75, output: 14, cacheRead: 0.175, cacheWrite: 1.75 },
  'gpt-5': { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 1.25 },
  'gpt-5-mini': { input: 0.25, output: 2, cacheRead: 0.025, cacheWrite: 0.25 },
  'gpt-4.1': { input: 2, output: 8, cacheRead: 0.5, cacheWrite: 2 },
  o3: { input: 2, output: 8, cacheRead: 0.5, cacheWrite: 2 },
  'o4-mini': { input: 1.1, output: 4.4, cacheRead: 0.275, cacheWrite: 1.1 },
  'gemini-3-pro': { input: 2, output: 12, cacheRead: 0.2, cacheWrite: 2 },
  'gemini-2.5-pro': { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 1.25 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5, cacheRead: 0.03, cacheWrite: 0.3 },
};

import type { TokenUsage } from '../api/messages.js';

/** US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/**
 * Public list prices, standard tier, short-context rates. THESE MUST BE CHECKED against the providers'
 * pricing pages before anyone relies on a cost: prices change often and were entered by hand.
 * Anthropic cache writes are the 5-minute rate (1.25x input), which is what the adapter requests;
 * OpenAI and Gemini do not charge for implicit cache writes, so the write price is the input price.
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

/** Suffixes that name a snapshot of the same model: `-20250929`, `-2025-08-07`, `-preview`, `-latest`. */
const SNAPSHOT_SUFFIX = /^-(\d{8}|\d{4}-\d{2}-\d{2}|preview(-[\w.-]+)?|latest|exp(-[\w.-]+)?)$/;

const HOSTED = new Set(['anthropic', 'openai', 'google']);

/** The price entry for a model name, allowing dated and preview snapshots of a listed model. */
export function priceOf(model: string): ModelPrice | undefined {
  const exact = PRICES[model];
  if (exact) return exact;
  const base = Object.keys(PRICES)
    .filter((name) => model.startsWith(name) && SNAPSHOT_SUFFIX.test(model.slice(name.length)))
    .sort((a, b) => b.length - a.length)[0];
  return base === undefined ? undefined : PRICES[base];
}

/**
 * The cost of `usage` in US dollars, or null when it is unknown: a model not in the table, or any
 * provider other than the hosted three (a custom endpoint's model name says nothing about its price,
 * and scripted/replay models cost nothing real). Unknown is never reported as 0.
 * Neutral usage counts input without cache reads and writes and output with reasoning, so one formula
 * fits every provider.
 */
export function priceUsage(model: string, usage: TokenUsage, provider?: string): number | null {
  if (provider !== undefined && !HOSTED.has(provider)) return null;
  const price = priceOf(model);
  if (!price) return null;
  const dollars =
    usage.inputTokens * price.input +
    usage.outputTokens * price.output +
    usage.cacheReadTokens * price.cacheRead +
    usage.cacheWriteTokens * price.cacheWrite;
  return dollars / 1_000_000;
}

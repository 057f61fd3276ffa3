import type { TokenUsage } from '../api/messages.js';
import type { ConfiguredPrice } from '../api/types.js';
import { type ModelPrice, PRICES } from './prices.js';

export type { ModelPrice } from './prices.js';

/** Suffixes that name a snapshot of the same model: `-20250929`, `-2025-08-07`, `-preview`, `-latest`. */
const SNAPSHOT_SUFFIX = /^-(\d{8}|\d{4}-\d{2}-\d{2}|preview(-[\w.-]+)?|latest|exp(-[\w.-]+)?)$/;

/** Providers whose model names mean the table's models: the hosted three, and scripts standing in for them. */
const TABLE_PRICED = new Set(['anthropic', 'openai', 'google', 'scripted']);

/** The price entry for a model name, allowing dated and preview snapshots of a listed model. */
export function priceOf(model: string): ModelPrice | undefined {
  const exact = PRICES[model];
  if (exact) return exact;
  const base = Object.keys(PRICES)
    .filter((name) => model.startsWith(name) && SNAPSHOT_SUFFIX.test(model.slice(name.length)))
    .sort((a, b) => b.length - a.length)[0];
  return base === undefined ? undefined : PRICES[base];
}

/** A config's `price`, with cache rates defaulting to the input rate (no discount assumed). */
export function configuredPrice(price: ConfiguredPrice): ModelPrice {
  return {
    input: price.input,
    output: price.output,
    cacheRead: price.cacheRead ?? price.input,
    cacheWrite: price.cacheWrite ?? price.input,
  };
}

const isZero = (usage: TokenUsage): boolean =>
  usage.inputTokens === 0 &&
  usage.outputTokens === 0 &&
  usage.cacheReadTokens === 0 &&
  usage.cacheWriteTokens === 0;

/**
 * The cost of `usage` in US dollars, or null when it is unknown. Prices come from the config
 * (`configured`) when it gives them, else from the table for the hosted providers and for scripted
 * models standing in for one of their models. A custom endpoint's model name says nothing about its
 * price, so without a configured price it is unknown; unknown is never reported as 0. No tokens cost
 * nothing on any model.
 * Neutral usage counts input without cache reads and writes and output with reasoning, so one formula
 * fits every provider.
 */
export function priceUsage(
  model: string,
  usage: TokenUsage,
  provider?: string,
  configured?: ModelPrice,
): number | null {
  if (isZero(usage)) return 0;
  const price =
    configured ?? (provider === undefined || TABLE_PRICED.has(provider) ? priceOf(model) : undefined);
  if (!price) return null;
  const dollars =
    usage.inputTokens * price.input +
    usage.outputTokens * price.output +
    usage.cacheReadTokens * price.cacheRead +
    usage.cacheWriteTokens * price.cacheWrite;
  return dollars / 1_000_000;
}

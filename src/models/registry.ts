import { RunToolsError } from '../api/errors.js';
import type { AssistantMessage } from '../api/messages.js';
import { modelConfigProblem, providerForModelName } from '../api/model-names.js';
import type { ModelConfig, ProviderModelConfig } from '../api/types.js';
import { createAnthropicAdapter } from './anthropic/adapter.js';
import { connectionFor } from './credentials.js';
import { createCustomAdapter } from './custom.js';
import { ModelError } from './errors.js';
import { createGoogleAdapter } from './google/adapter.js';
import { createResponsesAdapter } from './openai/adapter.js';
import { configuredPrice } from './pricing.js';
import { createReplayAdapter } from './replay.js';
import { withRetry } from './retry.js';
import { createScriptedAdapter } from './scripted.js';
import type { ModelLog } from './sdk-log.js';
import type { ModelAdapter } from './types.js';

/** What building a model adapter needs from the engine. */
export interface ModelDeps {
  env: Record<string, string | undefined>;
  /** Directory relative script paths resolve against (the config file's folder). */
  baseDir: string;
  /** The assistant turns recorded in a stored run, in order; undefined when the run does not exist. */
  recordedTurns(runId: string): AssistantMessage[] | undefined;
  /** Backoff base for retries in ms (tests pass 1). Default 500. */
  retryBaseMs?: number;
  maxRetries?: number; // default 4
  /** Where SDK warnings and model notices go (runtools' log); stderr when unset, never the console. */
  log?: ModelLog;
}

const DEFAULT_RETRY_BASE_MS = 500;
const DEFAULT_MAX_RETRIES = 4;
/** Output cap when the config sets none; Anthropic requires one, the others have their own defaults. */
const DEFAULT_ANTHROPIC_MAX_TOKENS = 8192;
const MIN_ANTHROPIC_THINKING_BUDGET = 1024;

/**
 * The provider and model name a config stands for. A plain name picks the provider by prefix
 * (`claude-`, `gpt-`/`o<digit>`, `gemini-`); an unknown prefix is an invalid request that lists them.
 */
export function resolveModel(config: ModelConfig): { provider: string; model: string } {
  if (typeof config === 'string') {
    const provider = providerForModelName(config);
    if (!provider)
      throw new RunToolsError('invalid_request', modelConfigProblem(config) ?? `unknown model "${config}"`);
    return { provider, model: config };
  }
  switch (config.provider) {
    case 'anthropic':
    case 'openai':
    case 'google':
      return { provider: config.provider, model: config.model };
    case 'custom':
      return { provider: 'custom', model: config.model ?? 'default' };
    case 'scripted':
      return { provider: 'scripted', model: config.model ?? 'scripted' };
    case 'replay':
      return { provider: 'replay', model: 'replay' };
  }
}

/**
 * The adapter for a model config, wrapped in the shared retry policy (see retry.ts). Fails at once, with
 * a typed error that says what to do, when a key is missing or the config cannot work. Scripted and
 * replay adapters keep their position in the turn list, so build one adapter per run.
 */
export function createModelAdapter(config: ModelConfig, deps: ModelDeps): ModelAdapter {
  const adapter = withRetry(buildAdapter(config, deps), {
    baseMs: deps.retryBaseMs ?? DEFAULT_RETRY_BASE_MS,
    maxRetries: deps.maxRetries ?? DEFAULT_MAX_RETRIES,
  });
  const price = typeof config === 'object' && 'price' in config ? config.price : undefined;
  return price === undefined ? adapter : { ...adapter, price: configuredPrice(price) };
}

function buildAdapter(config: ModelConfig, deps: ModelDeps): ModelAdapter {
  if (typeof config === 'string') {
    const { provider, model } = resolveModel(config);
    return hostedAdapter({ provider: provider as ProviderModelConfig['provider'], model }, deps);
  }
  switch (config.provider) {
    case 'anthropic':
    case 'openai':
    case 'google':
      return hostedAdapter(config, deps);
    case 'custom':
      return createCustomAdapter(config, deps.log);
    case 'scripted':
      return createScriptedAdapter(config.script, deps.baseDir, config.model);
    case 'replay':
      return createReplayAdapter(config.run, deps.recordedTurns(config.run));
  }
}

function hostedAdapter(config: ProviderModelConfig, deps: ModelDeps): ModelAdapter {
  const { apiKey, baseURL } = connectionFor(config.provider, config.model, deps.env);
  switch (config.provider) {
    case 'anthropic':
      return createAnthropicAdapter({
        provider: 'anthropic',
        apiKey,
        baseURL,
        ...(deps.log ? { log: deps.log } : {}),
        model: config.model,
        maxTokens: anthropicMaxTokens(config),
        ...(config.thinkingBudget === undefined ? {} : { thinkingBudget: config.thinkingBudget }),
      });
    case 'openai':
      if (config.reasoningEffort !== undefined && !takesReasoningEffort(config.model)) {
        throw new ModelError(
          'config',
          `${config.model} does not take reasoningEffort; use it with o-series or gpt-5 models, or remove it`,
        );
      }
      // The Responses API: OpenAI's recommendation for its own models, and the one that carries a
      // reasoning model's reasoning from one turn to the next.
      return createResponsesAdapter({
        provider: 'openai',
        apiKey,
        baseURL,
        ...(deps.log ? { log: deps.log } : {}),
        model: config.model,
        maxTokens: config.maxTokens,
        reasoning: takesReasoningEffort(config.model),
        ...(config.reasoningEffort === undefined ? {} : { reasoningEffort: config.reasoningEffort }),
      });
    case 'google':
      return createGoogleAdapter({
        apiKey,
        baseURL,
        model: config.model,
        maxTokens: config.maxTokens,
        ...(config.thinkingBudget === undefined ? {} : { thinkingBudget: config.thinkingBudget }),
      });
  }
}

/** Anthropic's max_tokens counts thinking too, so it must exceed the thinking budget. */
function anthropicMaxTokens(config: ProviderModelConfig): number {
  const budget = config.thinkingBudget;
  if (budget === undefined) return config.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS;
  if (budget < MIN_ANTHROPIC_THINKING_BUDGET) {
    throw new ModelError(
      'config',
      `thinkingBudget for ${config.model} must be at least 1024 tokens (got ${budget})`,
    );
  }
  if (config.maxTokens === undefined) return budget + DEFAULT_ANTHROPIC_MAX_TOKENS;
  if (config.maxTokens <= budget) {
    throw new ModelError(
      'config',
      `maxTokens (${config.maxTokens}) must be larger than thinkingBudget (${budget}) for ${config.model}: it counts thinking too`,
    );
  }
  return config.maxTokens;
}

/** OpenAI's reasoning models: the o-series and gpt-5 family, except its `-chat` models. */
const takesReasoningEffort = (model: string): boolean => /^(o\d|gpt-5)/.test(model) && !/-chat\b/.test(model);

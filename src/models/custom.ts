import type { CustomModelConfig } from '../api/types.js';
import { createAnthropicAdapter } from './anthropic/adapter.js';
import { ModelError } from './errors.js';
import { createOpenAIAdapter, createResponsesAdapter } from './openai/adapter.js';
import type { ModelLog } from './sdk-log.js';
import type { ModelAdapter } from './types.js';

/** Sent when a custom endpoint has no key: the OpenAI client refuses to start without one. */
const PLACEHOLDER_KEY = 'runtools-no-key';
const DEFAULT_MODEL = 'default';
const DEFAULT_ANTHROPIC_MAX_TOKENS = 8192;

/** Where the SDK should send requests for a custom endpoint. */
export interface CustomTarget {
  /** The SDK's base URL. */
  baseURL: string;
  /** Set when the endpoint's path is not the one the SDK appends: every request goes to this URL instead. */
  exactUrl?: string;
}

/**
 * The SDK base URL for a custom endpoint. A full `/chat/completions`, `/responses` or `/messages` URL
 * is used as is; anything else is the API base and the SDK appends its standard path
 * (`/chat/completions`, `/responses`, or `/v1/messages` for Anthropic, whose base URLs carry no `/v1`;
 * a trailing `/v1` is tolerated there).
 */
export function customTarget(config: Pick<CustomModelConfig, 'endpoint' | 'format'>): CustomTarget {
  let url: URL;
  try {
    url = new URL(config.endpoint);
  } catch {
    throw new ModelError(
      'config',
      `custom model endpoint "${config.endpoint}" is not a URL; use e.g. http://localhost:11434/v1`,
    );
  }
  const endpoint = url.toString().replace(/\/+$/, '');
  switch (config.format) {
    case 'openai':
      return { baseURL: endpoint.replace(/\/chat\/completions$/, '') };
    case 'openai-responses':
      return { baseURL: endpoint.replace(/\/responses$/, '') };
    case 'anthropic':
      if (endpoint.endsWith('/v1/messages')) return { baseURL: endpoint.slice(0, -'/v1/messages'.length) };
      if (endpoint.endsWith('/messages')) {
        return { baseURL: endpoint.slice(0, -'/messages'.length), exactUrl: endpoint };
      }
      return { baseURL: endpoint.replace(/\/v1$/, '') };
  }
}

/**
 * A model on a server that speaks the OpenAI (Chat Completions or Responses) or Anthropic protocol
 * (Ollama, vLLM, llama.cpp, LiteLLM...).
 */
export function createCustomAdapter(config: CustomModelConfig, log?: ModelLog): ModelAdapter {
  const target = customTarget(config);
  const apiKey = config.apiKey || PLACEHOLDER_KEY;
  const model = config.model ?? DEFAULT_MODEL;
  const common = { provider: 'custom', apiKey, baseURL: target.baseURL, model, ...(log ? { log } : {}) };
  switch (config.format) {
    case 'openai':
      return createOpenAIAdapter({ ...common, maxTokens: config.maxTokens, maxTokensField: 'max_tokens' });
    case 'openai-responses':
      // A server's model may or may not reason; reasoning items it sends are kept and sent back all the same.
      return createResponsesAdapter({ ...common, maxTokens: config.maxTokens, reasoning: false });
    case 'anthropic':
      return createAnthropicAdapter({
        ...common,
        maxTokens: config.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
        ...(target.exactUrl === undefined ? {} : { fetch: redirectTo(target.exactUrl) }),
      });
  }
}

/** A fetch that sends every request to one URL, for an Anthropic-format server on a non-standard path. */
function redirectTo(exactUrl: string): typeof fetch {
  return (_input, init) => fetch(exactUrl, init);
}

import type { ModelConfig } from './types.js';

export type HostedProvider = 'anthropic' | 'openai' | 'google';

const PREFIXES: { test: RegExp; provider: HostedProvider }[] = [
  { test: /^claude-/, provider: 'anthropic' },
  { test: /^(gpt-|o\d|chatgpt-|codex-)/, provider: 'openai' },
  { test: /^gemini-/, provider: 'google' },
];

/** The provider a plain model name belongs to, by the documented prefixes; undefined when none fits. */
export function providerForModelName(name: string): HostedProvider | undefined {
  return PREFIXES.find((entry) => entry.test.test(name))?.provider;
}

/** Why a model config cannot be used, or undefined when it can. */
export function modelConfigProblem(model: ModelConfig): string | undefined {
  if (typeof model !== 'string') return undefined;
  if (providerForModelName(model)) return undefined;
  return `unknown model "${model}": names start with claude- (Anthropic), gpt- or o<digit> (OpenAI) or gemini- (Google); for another server use {provider: 'custom', endpoint, format}`;
}

/** A short label for a model config, for summaries and diffs. */
export function modelLabel(model: ModelConfig): string {
  if (typeof model === 'string') return model;
  switch (model.provider) {
    case 'anthropic':
    case 'openai':
    case 'google':
      return `${model.provider}:${model.model}`;
    case 'custom':
      return `custom(${model.format}) ${model.endpoint}${model.model ? ` ${model.model}` : ''}`;
    case 'scripted':
      return `scripted ${model.script}`;
    case 'replay':
      return `replay ${model.run}`;
  }
}

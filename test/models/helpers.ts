import type { AssistantMessage, Message } from '../../src/api/messages.js';
import type { ModelConfig } from '../../src/api/types.js';
import { createModelAdapter, type ModelDeps } from '../../src/models/registry.js';
import type { ModelAdapter, ModelChunk, ModelRequest } from '../../src/models/types.js';
import { startFakeAnthropic } from '../fakes/anthropic.js';
import type { FakeServer, FakeStep } from '../fakes/fake-server.js';
import { startFakeGemini } from '../fakes/gemini.js';
import { startFakeOpenAI } from '../fakes/openai.js';

/** Reads a whole model call. */
export async function collect(stream: AsyncIterable<ModelChunk>): Promise<ModelChunk[]> {
  const chunks: ModelChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

export const finishOf = (chunks: ModelChunk[]): Extract<ModelChunk, { type: 'finish' }> => {
  const last = chunks.at(-1);
  if (last?.type !== 'finish') throw new Error(`last chunk is ${last?.type}, not finish`);
  return last;
};

export const BASH_TOOL = {
  name: 'bash',
  description: 'Run a shell command',
  inputSchema: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
};

export const request = (messages: Message[], extra: Partial<ModelRequest> = {}): ModelRequest => ({
  system: 'You are a careful coding agent.',
  messages,
  tools: [BASH_TOOL],
  ...extra,
});

export const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });

export function deps(env: Record<string, string | undefined>, extra: Partial<ModelDeps> = {}): ModelDeps {
  return {
    env,
    baseDir: process.cwd(),
    recordedTurns: () => undefined,
    retryBaseMs: 1,
    maxRetries: 3,
    ...extra,
  };
}

/** One way to reach a fake: which fake to start and the model config + env that point at it. */
export interface Target {
  name: string;
  start(turns: FakeStep[]): Promise<FakeServer>;
  config(fake: FakeServer): ModelConfig;
  env(fake: FakeServer): Record<string, string>;
  /** Stream events the fake sends before a turn's first text delta. */
  preamble: number;
}

/**
 * The adapters that speak a wire protocol, each pointed at its fake: the three hosted providers
 * (OpenAI's through the Responses API) and the three custom formats (Chat Completions, Responses,
 * Anthropic Messages).
 */
export const TARGETS: Target[] = [
  {
    name: 'anthropic',
    start: (turns) => startFakeAnthropic({ turns, apiKey: 'sk-ant-test' }),
    config: () => ({ provider: 'anthropic', model: 'claude-sonnet-4-5', thinkingBudget: 2048 }),
    env: (fake) => ({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: fake.baseURL }),
    preamble: 3,
  },
  {
    name: 'openai',
    start: (turns) => startFakeOpenAI({ turns, apiKey: 'sk-openai-test' }),
    config: () => 'gpt-5',
    env: (fake) => ({ OPENAI_API_KEY: 'sk-openai-test', OPENAI_BASE_URL: fake.baseURL }),
    preamble: 4,
  },
  {
    name: 'google',
    start: (turns) => startFakeGemini({ turns, apiKey: 'gemini-test' }),
    config: () => ({ provider: 'google', model: 'gemini-2.5-pro', thinkingBudget: 1024 }),
    env: (fake) => ({ GEMINI_API_KEY: 'gemini-test', GOOGLE_GEMINI_BASE_URL: fake.baseURL }),
    preamble: 0,
  },
  {
    name: 'custom openai-format',
    start: (turns) => startFakeOpenAI({ turns }),
    config: (fake) => ({
      provider: 'custom',
      format: 'openai',
      endpoint: `${fake.baseURL}/chat/completions`,
      model: 'llama3',
    }),
    env: () => ({}),
    preamble: 1,
  },
  {
    name: 'custom openai-responses-format',
    start: (turns) => startFakeOpenAI({ turns }),
    config: (fake) => ({
      provider: 'custom',
      format: 'openai-responses',
      endpoint: fake.baseURL,
      model: 'gpt-oss-120b',
    }),
    env: () => ({}),
    preamble: 4,
  },
  {
    name: 'custom anthropic-format',
    start: (turns) => startFakeAnthropic({ turns, apiKey: 'local-key' }),
    config: (fake) => ({
      provider: 'custom',
      format: 'anthropic',
      endpoint: fake.baseURL,
      apiKey: 'local-key',
      model: 'qwen3',
    }),
    env: () => ({}),
    preamble: 3,
  },
];

export function adapterFor(target: Target, fake: FakeServer, extra: Partial<ModelDeps> = {}): ModelAdapter {
  return createModelAdapter(target.config(fake), deps(target.env(fake), extra));
}

/** Provider-specific round-trip data (signatures, item ids) removed, to compare messages across providers. */
export function neutralOnly(message: AssistantMessage): AssistantMessage {
  return {
    role: 'assistant',
    content: message.content.map((part) => {
      if (part.type === 'thinking') return { type: 'thinking', text: part.text };
      if (part.type === 'tool_call')
        return { type: 'tool_call', callId: part.callId, name: part.name, input: part.input };
      return { type: 'text', text: part.text };
    }),
  };
}

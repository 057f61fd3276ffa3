import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/api/messages.js';
import { ModelError } from '../../src/models/errors.js';
import { createModelAdapter } from '../../src/models/registry.js';
import { startFakeAnthropic } from '../fakes/anthropic.js';
import type { FakeServer, FakeStep } from '../fakes/fake-server.js';
import { collect, deps, finishOf, request, user } from './helpers.js';

let fake: FakeServer | undefined;
afterEach(async () => fake?.close());

async function start(turns: FakeStep[]) {
  fake = await startFakeAnthropic({ turns, apiKey: 'sk-ant-test' });
  const adapter = createModelAdapter(
    { provider: 'anthropic', model: 'claude-opus-4-5', thinkingBudget: 4096, maxTokens: 16000 },
    deps({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: fake.baseURL }),
  );
  return { fake, adapter };
}

const signal = () => new AbortController().signal;

describe('Anthropic adapter', () => {
  it('sends system prompt and tools with cache_control, thinking config and the key as the SDK does', async () => {
    const { fake, adapter } = await start([{ text: 'hi' }]);
    await collect(adapter.stream(request([user('hello')]), signal()));
    const [sent] = fake.requests;
    expect(sent?.path).toBe('/v1/messages');
    expect(sent?.headers.authorization).toBe('Bearer sk-ant-test');
    expect(sent?.body).toMatchObject({
      model: 'claude-opus-4-5',
      max_tokens: 16000,
      stream: true,
      thinking: { type: 'enabled', budget_tokens: 4096 },
      system: [
        { type: 'text', text: 'You are a careful coding agent.', cache_control: { type: 'ephemeral' } },
      ],
      tools: [{ name: 'bash', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hello', cache_control: { type: 'ephemeral' } }] },
      ],
    });
  });

  it('sends thinking with its signature and redacted thinking back unchanged, and failed tools with is_error', async () => {
    const { fake, adapter } = await start([
      {
        redactedThinking: 'ENCRYPTED==',
        thinking: 'Need to list files.',
        signature: 'EqQBCkYIARgCKkBsig/+=',
        toolCalls: [{ id: 'toolu_1', name: 'bash', input: { command: 'ls /nope' } }],
      },
      { text: 'That directory does not exist.' },
    ]);
    const history: Message[] = [user('list /nope')];
    const first = finishOf(await collect(adapter.stream(request(history), signal())));
    expect(first.message.content).toEqual([
      { type: 'thinking', text: '', redacted: 'ENCRYPTED==' },
      { type: 'thinking', text: 'Need to list files.', signature: 'EqQBCkYIARgCKkBsig/+=' },
      { type: 'tool_call', callId: 'toolu_1', name: 'bash', input: { command: 'ls /nope' } },
    ]);
    history.push(first.message, {
      role: 'tool',
      content: [
        { type: 'tool_result', callId: 'toolu_1', name: 'bash', output: 'ls: cannot access', isError: true },
      ],
    });
    await collect(adapter.stream(request(history), signal()));
    expect(fake.requests[1]?.body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'list /nope' }] },
      {
        role: 'assistant',
        content: [
          { type: 'redacted_thinking', data: 'ENCRYPTED==' },
          { type: 'thinking', thinking: 'Need to list files.', signature: 'EqQBCkYIARgCKkBsig/+=' },
          { type: 'tool_use', id: 'toolu_1', name: 'bash', input: { command: 'ls /nope' } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_1',
            content: 'ls: cannot access',
            is_error: true,
            cache_control: { type: 'ephemeral' },
          },
        ],
      },
    ]);
  });

  it('reports cache reads and writes in usage', async () => {
    const { adapter } = await start([
      {
        text: 'ok',
        usage: { inputTokens: 12, outputTokens: 7, cacheReadTokens: 3000, cacheWriteTokens: 500 },
      },
    ]);
    const finish = finishOf(await collect(adapter.stream(request([user('hi')]), signal())));
    expect(finish.usage).toEqual({
      inputTokens: 12,
      outputTokens: 7,
      cacheReadTokens: 3000,
      cacheWriteTokens: 500,
      reasoningTokens: 0,
    });
  });

  it('retries an overloaded_error event that arrives before anything was yielded', async () => {
    const { fake, adapter } = await start([
      { text: 'lost', streamError: { afterEvents: 2, type: 'overloaded_error', message: 'Overloaded' } },
      { text: 'Second try works.' },
    ]);
    const finish = finishOf(await collect(adapter.stream(request([user('hi')]), signal())));
    expect(finish.message.content).toEqual([{ type: 'text', text: 'Second try works.' }]);
    expect(fake.requests).toHaveLength(2);
  });

  it('fails, without restarting, on an error event after text was yielded', async () => {
    const { fake, adapter } = await start([
      {
        text: 'Half an answer and then',
        streamError: { afterEvents: 5, type: 'overloaded_error', message: 'Overloaded' },
      },
      { text: 'never asked for' },
    ]);
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of adapter.stream(request([user('hi')]), signal())) seen.push(chunk.type);
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ kind: 'overloaded', retryable: true });
    expect(seen).toEqual(['text_delta', 'text_delta']);
    expect(fake.requests).toHaveLength(1);
  });

  it('maps max_tokens to its stop reason', async () => {
    const { adapter } = await start([{ text: 'cut', stopReason: 'max_tokens' }]);
    expect(finishOf(await collect(adapter.stream(request([user('hi')]), signal()))).reason).toBe(
      'max_tokens',
    );
  });
});

describe('custom Anthropic-format endpoint', () => {
  it('sends to a full /messages URL on a non-standard path as is', async () => {
    fake = await startFakeAnthropic({ turns: [{ text: 'via gateway' }] });
    const adapter = createModelAdapter(
      { provider: 'custom', format: 'anthropic', endpoint: `${fake.url}/gateway/messages` },
      deps({}),
    );
    const finish = finishOf(await collect(adapter.stream(request([user('hi')]), signal())));
    expect(finish.message.content).toEqual([{ type: 'text', text: 'via gateway' }]);
    expect(fake.requests[0]?.path).toBe('/gateway/messages');
    expect(fake.requests[0]?.body).toMatchObject({ model: 'default', max_tokens: 8192 });
  });
});

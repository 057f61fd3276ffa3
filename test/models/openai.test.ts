import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/models/errors.js';
import { createModelAdapter } from '../../src/models/registry.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { startFakeOpenAI } from '../fakes/openai.js';
import { collect, deps, finishOf, request, user } from './helpers.js';

let fake: FakeServer | undefined;
afterEach(async () => fake?.close());
const signal = () => new AbortController().signal;

describe('OpenAI adapter', () => {
  it('asks for usage in the stream, sends reasoning effort and max_completion_tokens, and reports reasoning tokens', async () => {
    fake = await startFakeOpenAI({
      turns: [
        {
          text: 'ok',
          usage: { inputTokens: 80, cacheReadTokens: 20, outputTokens: 50, reasoningTokens: 30 },
        },
      ],
    });
    const adapter = createModelAdapter(
      { provider: 'openai', model: 'o4-mini', reasoningEffort: 'high', maxTokens: 5000 },
      deps({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL }),
    );
    const finish = finishOf(await collect(adapter.stream(request([user('hi')]), signal())));
    expect(fake.requests[0]?.body).toMatchObject({
      model: 'o4-mini',
      stream: true,
      stream_options: { include_usage: true },
      reasoning_effort: 'high',
      max_completion_tokens: 5000,
      messages: [
        { role: 'system', content: 'You are a careful coding agent.' },
        { role: 'user', content: 'hi' },
      ],
      tools: [{ type: 'function', function: { name: 'bash', parameters: { type: 'object' } } }],
    });
    expect(finish.usage).toEqual({
      inputTokens: 80,
      outputTokens: 50,
      cacheReadTokens: 20,
      cacheWriteTokens: 0,
      reasoningTokens: 30,
    });
  });

  it('sends tool calls back with JSON arguments and failed results as error text', async () => {
    fake = await startFakeOpenAI({ turns: [{ text: 'done' }] });
    const adapter = createModelAdapter(
      'gpt-4.1',
      deps({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL }),
    );
    await collect(
      adapter.stream(
        request([
          user('go'),
          {
            role: 'assistant',
            content: [{ type: 'tool_call', callId: 'c1', name: 'bash', input: { command: 'false' } }],
          },
          {
            role: 'tool',
            content: [{ type: 'tool_result', callId: 'c1', name: 'bash', output: 'exit 1', isError: true }],
          },
        ]),
        signal(),
      ),
    );
    expect(fake.requests[0]?.body.messages).toEqual([
      { role: 'system', content: 'You are a careful coding agent.' },
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'bash', arguments: '{"command":"false"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'Error: exit 1' },
    ]);
  });

  it('rejects reasoningEffort for a model that does not take it', () => {
    expect(() =>
      createModelAdapter(
        { provider: 'openai', model: 'gpt-4.1', reasoningEffort: 'low' },
        deps({ OPENAI_API_KEY: 'k' }),
      ),
    ).toThrow(/gpt-4.1 does not take reasoningEffort/);
  });

  it('retries an error object sent inside the stream before any output', async () => {
    fake = await startFakeOpenAI({
      turns: [
        { text: 'x', streamError: { afterEvents: 1, type: 'server_error', message: 'boom' } },
        { text: 'fine' },
      ],
    });
    const adapter = createModelAdapter('gpt-5', deps({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: fake.baseURL }));
    const finish = finishOf(await collect(adapter.stream(request([user('hi')]), signal())));
    expect(finish.message.content).toEqual([{ type: 'text', text: 'fine' }]);
    expect(fake.requests).toHaveLength(2);
  });

  it('custom endpoint: a base URL gets /chat/completions appended, a placeholder key and max_tokens', async () => {
    fake = await startFakeOpenAI({ turns: [{ text: 'local' }] });
    const adapter = createModelAdapter(
      { provider: 'custom', format: 'openai', endpoint: fake.baseURL, maxTokens: 256 },
      deps({ OPENAI_API_KEY: 'must-not-leak' }),
    );
    expect(adapter.provider).toBe('custom');
    await collect(adapter.stream(request([user('hi')]), signal()));
    const [sent] = fake.requests;
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe('Bearer runtools-no-key');
    expect(sent?.body).toMatchObject({ model: 'default', max_tokens: 256 });
  });

  it('a custom endpoint that refuses the connection is a retryable network error', async () => {
    const adapter = createModelAdapter(
      { provider: 'custom', format: 'openai', endpoint: 'http://127.0.0.1:9/v1' },
      deps({}, { maxRetries: 1 }),
    );
    const error = await collect(adapter.stream(request([user('hi')]), signal())).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ kind: 'network', retryable: true });
  });
});

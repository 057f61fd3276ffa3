import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/api/messages.js';
import { ModelError } from '../../src/models/errors.js';
import { createModelAdapter } from '../../src/models/registry.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { startFakeOpenAI } from '../fakes/openai.js';
import { collect, deps, finishOf, neutralOnly, request, user } from './helpers.js';

let fake: FakeServer | undefined;
afterEach(async () => fake?.close());
const signal = () => new AbortController().signal;
const openai = (fake: FakeServer) => deps({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL });

describe('OpenAI adapter (Responses API)', () => {
  it('sends a stateless request with encrypted reasoning, effort, max_output_tokens and non-strict tools', async () => {
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
      openai(fake),
    );
    const finish = finishOf(await collect(adapter.stream(request([user('hi')]), signal())));
    const [sent] = fake.requests;
    expect(sent?.path).toBe('/v1/responses');
    expect(sent?.body).toEqual({
      model: 'o4-mini',
      stream: true,
      store: false,
      include: ['reasoning.encrypted_content'],
      instructions: 'You are a careful coding agent.',
      input: [{ role: 'user', content: 'hi' }],
      tools: [
        {
          type: 'function',
          name: 'bash',
          description: 'Run a shell command',
          parameters: expect.objectContaining({ type: 'object' }),
          strict: false,
        },
      ],
      max_output_tokens: 5000,
      reasoning: { summary: 'auto', effort: 'high' },
    });
    expect(finish.usage).toEqual({
      inputTokens: 80,
      outputTokens: 50,
      cacheReadTokens: 20,
      cacheWriteTokens: 0,
      reasoningTokens: 30,
    });
  });

  it('asks a model that does not reason for neither reasoning nor encrypted content', async () => {
    fake = await startFakeOpenAI({ turns: [{ text: 'ok' }] });
    await collect(createModelAdapter('gpt-4.1', openai(fake)).stream(request([user('hi')]), signal()));
    expect(fake.requests[0]?.body).not.toHaveProperty('include');
    expect(fake.requests[0]?.body).not.toHaveProperty('reasoning');
    expect(fake.requests[0]?.body).toMatchObject({ store: false });
  });

  it('sends the reasoning item, message and function call back as they came, and a failed result as error text', async () => {
    fake = await startFakeOpenAI({
      turns: [
        {
          thinking: 'The user wants a listing.',
          encryptedReasoning: 'gAAAA-opaque-reasoning',
          text: 'Listing.',
          toolCalls: [{ id: 'call_1', name: 'bash', input: { command: 'ls' } }],
        },
        { text: 'done' },
      ],
    });
    const adapter = createModelAdapter('gpt-5.2', openai(fake));
    const history: Message[] = [user('go')];
    const first = finishOf(await collect(adapter.stream(request(history), signal())));
    expect(first.message.content).toEqual([
      {
        type: 'thinking',
        text: 'The user wants a listing.',
        meta: { itemId: 'rs_fake_1', encryptedContent: 'gAAAA-opaque-reasoning' },
      },
      { type: 'text', text: 'Listing.', meta: { itemId: 'msg_fake_1' } },
      {
        type: 'tool_call',
        callId: 'call_1',
        name: 'bash',
        input: { command: 'ls' },
        meta: { itemId: 'fc_fake_1_1' },
      },
    ]);
    history.push(first.message, {
      role: 'tool',
      content: [{ type: 'tool_result', callId: 'call_1', name: 'bash', output: 'exit 1', isError: true }],
    });
    await collect(adapter.stream(request(history), signal()));
    expect(fake.requests[1]?.body.input).toEqual([
      { role: 'user', content: 'go' },
      {
        type: 'reasoning',
        id: 'rs_fake_1',
        summary: [{ type: 'summary_text', text: 'The user wants a listing.' }],
        encrypted_content: 'gAAAA-opaque-reasoning',
      },
      {
        type: 'message',
        role: 'assistant',
        id: 'msg_fake_1',
        status: 'completed',
        content: [{ type: 'output_text', text: 'Listing.', annotations: [] }],
      },
      {
        type: 'function_call',
        id: 'fc_fake_1_1',
        call_id: 'call_1',
        name: 'bash',
        arguments: '{"command":"ls"}',
      },
      { type: 'function_call_output', call_id: 'call_1', output: 'Error: exit 1' },
    ]);
  });

  it('keeps a reasoning item without a summary, so its encrypted reasoning still goes back', async () => {
    fake = await startFakeOpenAI({
      turns: [{ thinking: '', encryptedReasoning: 'enc-x', text: 'hi' }, { text: 'again' }],
    });
    const adapter = createModelAdapter('gpt-5', openai(fake));
    const first = finishOf(await collect(adapter.stream(request([user('a')]), signal())));
    expect(first.message.content[0]).toEqual({
      type: 'thinking',
      text: '',
      meta: { itemId: 'rs_fake_1', encryptedContent: 'enc-x' },
    });
    await collect(adapter.stream(request([user('a'), first.message, user('b')]), signal()));
    expect((fake.requests[1]?.body.input as unknown[] | undefined)?.[1]).toEqual({
      type: 'reasoning',
      id: 'rs_fake_1',
      summary: [],
      encrypted_content: 'enc-x',
    });
  });

  it('reports a turn cut by max_output_tokens as max_tokens', async () => {
    fake = await startFakeOpenAI({ turns: [{ text: 'half an ans', stopReason: 'max_tokens' }] });
    const adapter = createModelAdapter('gpt-5', openai(fake));
    expect(finishOf(await collect(adapter.stream(request([user('hi')]), signal()))).reason).toBe(
      'max_tokens',
    );
  });

  it('retries an error event sent inside the stream before any output', async () => {
    fake = await startFakeOpenAI({
      turns: [
        { text: 'x', streamError: { afterEvents: 1, type: 'server_error', message: 'boom' } },
        { text: 'fine' },
      ],
    });
    const adapter = createModelAdapter('gpt-5', openai(fake));
    const finish = finishOf(await collect(adapter.stream(request([user('hi')]), signal())));
    expect(neutralOnly(finish.message).content).toEqual([{ type: 'text', text: 'fine' }]);
    expect(fake.requests).toHaveLength(2);
  });

  it('rejects reasoningEffort for a model that does not take it', () => {
    expect(() =>
      createModelAdapter(
        { provider: 'openai', model: 'gpt-4.1', reasoningEffort: 'low' },
        deps({ OPENAI_API_KEY: 'k' }),
      ),
    ).toThrow(/gpt-4.1 does not take reasoningEffort/);
  });
});

describe('custom OpenAI-format endpoints', () => {
  it('Chat Completions: a base URL gets /chat/completions appended, a placeholder key and max_tokens', async () => {
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
    expect(sent?.body).toMatchObject({
      model: 'default',
      max_tokens: 256,
      stream_options: { include_usage: true },
    });
  });

  it('Chat Completions: tool calls go back with JSON arguments and failed results as error text', async () => {
    fake = await startFakeOpenAI({ turns: [{ text: 'done' }] });
    const adapter = createModelAdapter(
      { provider: 'custom', format: 'openai', endpoint: fake.baseURL },
      deps({}),
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

  it('Responses: a full /responses URL is used as is, stateless, without asking for encrypted reasoning', async () => {
    fake = await startFakeOpenAI({ turns: [{ text: 'local' }] });
    const adapter = createModelAdapter(
      {
        provider: 'custom',
        format: 'openai-responses',
        endpoint: `${fake.baseURL}/responses`,
        model: 'gpt-oss',
      },
      deps({}),
    );
    await collect(adapter.stream(request([user('hi')]), signal()));
    const [sent] = fake.requests;
    expect(sent?.path).toBe('/v1/responses');
    expect(sent?.body).toMatchObject({
      model: 'gpt-oss',
      store: false,
      input: [{ role: 'user', content: 'hi' }],
    });
    expect(sent?.body).not.toHaveProperty('include');
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

import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/api/messages.js';
import { createModelAdapter } from '../../src/models/registry.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { startFakeGemini } from '../fakes/gemini.js';
import { collect, deps, finishOf, request, user } from './helpers.js';

let fake: FakeServer | undefined;
afterEach(async () => fake?.close());
const signal = () => new AbortController().signal;

describe('Gemini adapter', () => {
  it('calls streamGenerateContent with systemInstruction, functionDeclarations, thinkingConfig and the key header', async () => {
    fake = await startFakeGemini({ turns: [{ text: 'ok' }] });
    const adapter = createModelAdapter(
      { provider: 'google', model: 'gemini-2.5-flash', thinkingBudget: 512, maxTokens: 1000 },
      deps({
        GEMINI_API_KEY: 'gemini-key',
        GOOGLE_API_KEY: 'google-key',
        GOOGLE_GEMINI_BASE_URL: fake.baseURL,
      }),
    );
    await collect(adapter.stream(request([user('hi')]), signal()));
    const [sent] = fake.requests;
    expect(sent?.path).toMatch(/^\/v1(beta)?\/models\/gemini-2.5-flash:streamGenerateContent\?alt=sse$/);
    // GOOGLE_API_KEY wins over GEMINI_API_KEY, as in Google's SDK.
    expect(sent?.headers['x-goog-api-key']).toBe('google-key');
    expect(sent?.body).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
      systemInstruction: { parts: [{ text: 'You are a careful coding agent.' }] },
      tools: [{ functionDeclarations: [{ name: 'bash', parametersJsonSchema: { type: 'object' } }] }],
      generationConfig: {
        maxOutputTokens: 1000,
        thinkingConfig: { includeThoughts: true, thinkingBudget: 512 },
      },
    });
  });

  it('keeps thoughtSignature in meta and sends it back with the functionCall; errors go in the response', async () => {
    fake = await startFakeGemini({
      turns: [
        {
          thinking: 'Look first.',
          thoughtSignature: 'c2lnbmF0dXJl',
          toolCalls: [{ name: 'bash', input: { command: 'ls' } }],
          usage: { inputTokens: 10, outputTokens: 9, reasoningTokens: 4 },
        },
        { text: 'Nothing there.' },
      ],
    });
    const adapter = createModelAdapter(
      'gemini-3-pro',
      deps({ GEMINI_API_KEY: 'k', GOOGLE_GEMINI_BASE_URL: fake.baseURL }),
    );
    const history: Message[] = [user('look')];
    const first = finishOf(await collect(adapter.stream(request(history), signal())));
    const call = first.message.content.find((part) => part.type === 'tool_call');
    expect(call).toMatchObject({
      name: 'bash',
      input: { command: 'ls' },
      meta: { thoughtSignature: 'c2lnbmF0dXJl' },
    });
    expect(first.usage).toMatchObject({ outputTokens: 9, reasoningTokens: 4 });
    if (call?.type !== 'tool_call') throw new Error('no call');
    history.push(first.message, {
      role: 'tool',
      content: [
        {
          type: 'tool_result',
          callId: call.callId,
          name: 'bash',
          output: 'permission denied',
          isError: true,
        },
      ],
    });
    await collect(adapter.stream(request(history), signal()));
    // Gemini sent no call id, so none is sent back; the thought summary stays out.
    expect(fake.requests[1]?.body.contents).toEqual([
      { role: 'user', parts: [{ text: 'look' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'bash', args: { command: 'ls' } }, thoughtSignature: 'c2lnbmF0dXJl' },
        ],
      },
      {
        role: 'user',
        parts: [{ functionResponse: { name: 'bash', response: { error: 'permission denied' } } }],
      },
    ]);
  });

  it('retries a 429 after the RetryInfo delay in the error body', async () => {
    fake = await startFakeGemini({
      turns: [{ fail: { status: 429, body: QUOTA_EXCEEDED } }, { text: 'ok' }],
    });
    const started = Date.now();
    const adapter = createModelAdapter(
      'gemini-2.5-pro',
      deps({ GEMINI_API_KEY: 'k', GOOGLE_GEMINI_BASE_URL: fake.baseURL }),
    );
    expect(finishOf(await collect(adapter.stream(request([user('hi')]), signal()))).reason).toBe('end_turn');
    expect(fake.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });
});

const QUOTA_EXCEEDED = {
  error: {
    code: 429,
    message: 'Resource has been exhausted (e.g. check quota).',
    status: 'RESOURCE_EXHAUSTED',
    details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.25s' }],
  },
};

import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/api/messages.js';
import type { FakeServer, FakeStep } from '../fakes/fake-server.js';
import { adapterFor, collect, finishOf, request, TARGETS, type Target, user } from './helpers.js';

const target = (name: string): Target => {
  const found = TARGETS.find((t) => t.name === name);
  if (!found) throw new Error(`no target ${name}`);
  return found;
};

/**
 * Each provider's reasoning round trip: the first response's reasoning (Anthropic's signed and
 * redacted thinking, Gemini's thought signatures, OpenAI's encrypted reasoning items) must be in the
 * second request exactly as it came, or the model loses it (OpenAI, Gemini) or the API rejects the
 * request (Anthropic).
 */
const CASES: Array<{
  name: string;
  first: FakeStep;
  carried(body: Record<string, unknown>): unknown;
  expected: unknown;
}> = [
  {
    name: 'anthropic',
    first: {
      redactedThinking: 'REDACTED==',
      thinking: 'List the files first.',
      signature: 'EqQBsig/+=',
      text: 'Looking.',
      toolCalls: [{ id: 'toolu_1', name: 'bash', input: { command: 'ls' } }],
    },
    carried: (body) => (body.messages as Array<{ role: string; content: unknown }>)[1],
    expected: {
      role: 'assistant',
      content: [
        { type: 'redacted_thinking', data: 'REDACTED==' },
        { type: 'thinking', thinking: 'List the files first.', signature: 'EqQBsig/+=' },
        { type: 'text', text: 'Looking.' },
        { type: 'tool_use', id: 'toolu_1', name: 'bash', input: { command: 'ls' } },
      ],
    },
  },
  {
    name: 'google',
    first: {
      thinking: 'List the files first.',
      text: 'Looking.',
      textSignature: 'dGV4dC1zaWc=',
      thoughtSignature: 'Y2FsbC1zaWc=',
      toolCalls: [{ id: 'g1', name: 'bash', input: { command: 'ls' } }],
    },
    carried: (body) => (body.contents as unknown[])[1],
    // The thought summary carries no signature and stays out; text and call keep theirs.
    expected: {
      role: 'model',
      parts: [
        { text: 'Looking.', thoughtSignature: 'dGV4dC1zaWc=' },
        {
          functionCall: { id: 'g1', name: 'bash', args: { command: 'ls' } },
          thoughtSignature: 'Y2FsbC1zaWc=',
        },
      ],
    },
  },
  {
    name: 'openai',
    first: {
      thinking: 'List the files first.',
      encryptedReasoning: 'gAAAAB-encrypted',
      text: 'Looking.',
      toolCalls: [{ id: 'call_1', name: 'bash', input: { command: 'ls' } }],
    },
    carried: (body) => (body.input as unknown[]).slice(1, 4),
    expected: [
      {
        type: 'reasoning',
        id: 'rs_fake_1',
        summary: [{ type: 'summary_text', text: 'List the files first.' }],
        encrypted_content: 'gAAAAB-encrypted',
      },
      {
        type: 'message',
        role: 'assistant',
        id: 'msg_fake_1',
        status: 'completed',
        content: [{ type: 'output_text', text: 'Looking.', annotations: [] }],
      },
      {
        type: 'function_call',
        id: 'fc_fake_1_1',
        call_id: 'call_1',
        name: 'bash',
        arguments: '{"command":"ls"}',
      },
    ],
  },
];

describe.each(CASES)('$name reasoning round trip', (testCase) => {
  let fake: FakeServer | undefined;
  afterEach(async () => fake?.close());

  it('the second request carries the first response reasoning unchanged', async () => {
    const t = target(testCase.name);
    fake = await t.start([testCase.first, { text: 'Two files.' }]);
    const adapter = adapterFor(t, fake);
    const history: Message[] = [user('What is here?')];
    const first = finishOf(await collect(adapter.stream(request(history), new AbortController().signal)));
    history.push(first.message, {
      role: 'tool',
      content: first.message.content.flatMap((part) =>
        part.type === 'tool_call'
          ? [
              {
                type: 'tool_result' as const,
                callId: part.callId,
                name: part.name,
                output: 'a b',
                isError: false,
              },
            ]
          : [],
      ),
    });
    // Through JSON, as a stored run's messages are.
    const stored = JSON.parse(JSON.stringify(history)) as Message[];
    await collect(adapter.stream(request(stored), new AbortController().signal));
    expect(fake.requests).toHaveLength(2);
    expect(testCase.carried(fake.requests[1]!.body)).toEqual(testCase.expected);
  });
});

describe('Gemini thought signatures on every part', () => {
  let fake: FakeServer | undefined;
  afterEach(async () => fake?.close());

  it('keeps a signature that arrives on an empty text part after the calls, and sends it back there', async () => {
    const t = target('google');
    fake = await t.start([
      { textSignature: 'bGFzdA==', toolCalls: [{ id: 'g1', name: 'bash', input: { command: 'ls' } }] },
      { text: 'ok' },
    ]);
    const adapter = adapterFor(t, fake);
    const first = finishOf(
      await collect(adapter.stream(request([user('go')]), new AbortController().signal)),
    );
    expect(first.message.content).toEqual([
      { type: 'tool_call', callId: 'g1', name: 'bash', input: { command: 'ls' } },
      { type: 'text', text: '', meta: { thoughtSignature: 'bGFzdA==' } },
    ]);
    await collect(
      adapter.stream(request([user('go'), first.message, user('and?')]), new AbortController().signal),
    );
    expect((fake.requests[1]?.body.contents as unknown[] | undefined)?.[1]).toEqual({
      role: 'model',
      parts: [
        { functionCall: { id: 'g1', name: 'bash', args: { command: 'ls' } } },
        { text: '', thoughtSignature: 'bGFzdA==' },
      ],
    });
  });
});

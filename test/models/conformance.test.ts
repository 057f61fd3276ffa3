import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/api/messages.js';
import type { FakeServer, FakeStep } from '../fakes/fake-server.js';
import { adapterFor, collect, finishOf, neutralOnly, request, TARGETS, user } from './helpers.js';

/**
 * One conversation, every adapter: a thinking turn with two tool calls, a turn after the results with one
 * more call, and a final answer. Each fake renders the same turns in its own wire format; the neutral
 * chunks that come out must be identical.
 */
const CONVERSATION: FakeStep[] = [
  {
    thinking: 'I should look at the files first.',
    text: 'Let me check.',
    toolCalls: [
      { id: 'call_a', name: 'bash', input: { command: 'ls' } },
      { id: 'call_b', name: 'bash', input: { command: 'cat package.json' } },
    ],
    usage: { inputTokens: 100, outputTokens: 40, cacheReadTokens: 10 },
  },
  {
    text: 'One more look.',
    toolCalls: [{ id: 'call_c', name: 'bash', input: { command: 'git status' } }],
    usage: { inputTokens: 150, outputTokens: 20, cacheReadTokens: 90 },
  },
  { text: 'The project is a Node package with a clean tree.', usage: { inputTokens: 200, outputTokens: 12 } },
];

const EXPECTED_TURNS = [
  [
    { type: 'thinking_delta', text: 'I ' },
    { type: 'thinking_delta', text: 'should ' },
    { type: 'thinking_delta', text: 'look ' },
    { type: 'thinking_delta', text: 'at ' },
    { type: 'thinking_delta', text: 'the ' },
    { type: 'thinking_delta', text: 'files ' },
    { type: 'thinking_delta', text: 'first.' },
    { type: 'text_delta', text: 'Let ' },
    { type: 'text_delta', text: 'me ' },
    { type: 'text_delta', text: 'check.' },
    { type: 'tool_call', callId: 'call_a', name: 'bash', input: { command: 'ls' } },
    { type: 'tool_call', callId: 'call_b', name: 'bash', input: { command: 'cat package.json' } },
    {
      type: 'usage',
      usage: {
        inputTokens: 100,
        outputTokens: 40,
        cacheReadTokens: 10,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
    },
  ],
  [
    { type: 'text_delta', text: 'One ' },
    { type: 'text_delta', text: 'more ' },
    { type: 'text_delta', text: 'look.' },
    { type: 'tool_call', callId: 'call_c', name: 'bash', input: { command: 'git status' } },
    {
      type: 'usage',
      usage: {
        inputTokens: 150,
        outputTokens: 20,
        cacheReadTokens: 90,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
    },
  ],
];

describe.each(TARGETS)('the shared conversation through $name', (target) => {
  let fake: FakeServer | undefined;
  afterEach(async () => fake?.close());

  it('yields the same neutral chunks and messages as every other adapter', async () => {
    fake = await target.start(CONVERSATION);
    const adapter = adapterFor(target, fake);
    const history: Message[] = [user('What is in this repo?')];
    const reasons: string[] = [];
    const turns: unknown[] = [];
    for (let turn = 0; turn < CONVERSATION.length; turn++) {
      const chunks = await collect(adapter.stream(request(history), new AbortController().signal));
      const finish = finishOf(chunks);
      reasons.push(finish.reason);
      turns.push(chunks.slice(0, -1));
      history.push(finish.message);
      const calls = finish.message.content.filter((part) => part.type === 'tool_call');
      if (calls.length > 0) {
        history.push({
          role: 'tool',
          content: calls.map((call) => ({
            type: 'tool_result',
            callId: call.callId,
            name: call.name,
            output: `ran ${call.callId}`,
            isError: false,
          })),
        });
      }
    }
    expect(turns.slice(0, 2)).toEqual(EXPECTED_TURNS);
    expect(reasons).toEqual(['tool_use', 'tool_use', 'end_turn']);
    expect(history.map((message) => (message.role === 'assistant' ? neutralOnly(message) : message))).toEqual(
      [
        user('What is in this repo?'),
        {
          role: 'assistant',
          content: [
            { type: 'thinking', text: 'I should look at the files first.' },
            { type: 'text', text: 'Let me check.' },
            { type: 'tool_call', callId: 'call_a', name: 'bash', input: { command: 'ls' } },
            { type: 'tool_call', callId: 'call_b', name: 'bash', input: { command: 'cat package.json' } },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool_result', callId: 'call_a', name: 'bash', output: 'ran call_a', isError: false },
            { type: 'tool_result', callId: 'call_b', name: 'bash', output: 'ran call_b', isError: false },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'One more look.' },
            { type: 'tool_call', callId: 'call_c', name: 'bash', input: { command: 'git status' } },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool_result', callId: 'call_c', name: 'bash', output: 'ran call_c', isError: false },
          ],
        },
        {
          role: 'assistant',
          content: [{ type: 'text', text: 'The project is a Node package with a clean tree.' }],
        },
      ],
    );
    // Every turn was one request: nothing retried, nothing left over.
    expect(fake.requests).toHaveLength(3);
    expect(fake.remaining()).toBe(0);
  });
});

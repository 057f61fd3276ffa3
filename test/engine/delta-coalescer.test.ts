import { describe, expect, it, vi } from 'vitest';
import type { EventPayload } from '../../src/api/types.js';
import { DeltaCoalescer } from '../../src/engine/loop/delta-coalescer.js';
import { UsageThrottle } from '../../src/engine/loop/usage-throttle.js';
import { collect, deploy } from '../helpers/runs.js';
import { startHarness } from '../helpers/transports.js';

it('joins consecutive deltas of one kind, and sends them before any other event', () => {
  const sent: EventPayload[] = [];
  const deltas = new DeltaCoalescer((event) => sent.push(event), 60_000);
  deltas.emit({ type: 'thinking', content: 'Let me ' });
  deltas.emit({ type: 'thinking', content: 'look.' });
  deltas.emit({ type: 'text', content: 'Looking ' });
  deltas.emit({ type: 'text', content: 'now.' });
  expect(sent).toEqual([{ type: 'thinking', content: 'Let me look.' }]);
  deltas.emit({ type: 'tool_call', tool: 'bash', input: { command: 'ls' }, callId: 'c1' });
  deltas.emit({ type: 'text', content: 'Done.' });
  deltas.flush();
  expect(sent).toEqual([
    { type: 'thinking', content: 'Let me look.' },
    { type: 'text', content: 'Looking now.' },
    { type: 'tool_call', tool: 'bash', input: { command: 'ls' }, callId: 'c1' },
    { type: 'text', content: 'Done.' },
  ]);
});

it('sends a pending delta when its window closes, without waiting for the next event', async () => {
  const sent: EventPayload[] = [];
  const deltas = new DeltaCoalescer((event) => sent.push(event), 20);
  deltas.emit({ type: 'text', content: 'still ' });
  deltas.emit({ type: 'text', content: 'typing' });
  expect(sent).toEqual([]);
  await new Promise((resolve) => setTimeout(resolve, 40));
  expect(sent).toEqual([{ type: 'text', content: 'still typing' }]);
});

it('a run streams the model text word by word into a few events with the same text', async () => {
  const h = await startHarness('in-process');
  try {
    const text = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    const thinking = 'First I think about it, at some length, before I answer.';
    await deploy(h, 'talk', [{ thinking, text }], { tools: [] });
    const events = await collect(await h.rt.agents.run('talk', { message: 'go', stream: true }));
    const texts = events.filter((e) => e.type === 'text');
    const thoughts = events.filter((e) => e.type === 'thinking');
    expect(texts.map((e) => e.content).join('')).toBe(text);
    expect(thoughts.map((e) => e.content).join('')).toBe(thinking);
    // 300 words and 12 thinking deltas, streamed at once: one event each after joining.
    expect(texts.length + thoughts.length).toBeLessThan(10);
    expect(events.findIndex((e) => e.type === 'thinking')).toBeLessThan(
      events.findIndex((e) => e.type === 'text'),
    );
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'completed' });
  } finally {
    await h.close();
  }
});

describe('UsageThrottle', () => {
  const usage = (inputTokens: number) =>
    ({
      type: 'usage',
      usage: {
        inputTokens,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
        costUsd: null,
      },
      turns: inputTokens,
    }) as const;

  it('sends the first at once, then the newest of each second, and the held one on flush', () => {
    let clock = 0;
    const sent: number[] = [];
    const throttle = new UsageThrottle(
      (e) => sent.push(e.usage.inputTokens),
      1_000,
      () => clock,
    );
    throttle.offer(usage(1));
    throttle.offer(usage(2));
    throttle.offer(usage(3));
    expect(sent).toEqual([1]);
    throttle.flush();
    expect(sent).toEqual([1, 3]);
    throttle.flush();
    expect(sent).toEqual([1, 3]);
    clock = 2_000;
    throttle.offer(usage(4));
    expect(sent).toEqual([1, 3, 4]);
  });

  it('sends a held one when its second is up, without waiting for another', async () => {
    const sent: number[] = [];
    const throttle = new UsageThrottle((e) => sent.push(e.usage.inputTokens), 30);
    throttle.offer(usage(1));
    throttle.offer(usage(2));
    expect(sent).toEqual([1]);
    await vi.waitFor(() => expect(sent).toEqual([1, 2]));
  });
});

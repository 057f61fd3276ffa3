import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AssistantMessage } from '../../src/api/messages.js';
import { createModelAdapter } from '../../src/models/registry.js';
import { collect, deps, finishOf, request, user } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'runtools-scripts-'));
const writeScript = (name: string, content: unknown): string => {
  writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return name;
};
const signal = () => new AbortController().signal;

const SCRIPT = {
  turns: [
    {
      thinking: 'List first.',
      text: 'Looking around.',
      toolCalls: [
        { name: 'bash', input: { command: 'ls' } },
        { id: 'mine', name: 'read_file', input: { path: 'a.txt' } },
      ],
      usage: { inputTokens: 5, outputTokens: 3 },
    },
    { text: 'Done.' },
  ],
};

describe('scripted model', () => {
  it('plays each turn as a provider would stream it, then fails clearly when the script runs out', async () => {
    const adapter = createModelAdapter(
      { provider: 'scripted', script: writeScript('ok.json', SCRIPT) },
      deps({}, { baseDir: dir }),
    );
    const first = await collect(adapter.stream(request([user('go')]), signal()));
    expect(first).toEqual([
      { type: 'thinking_delta', text: 'List ' },
      { type: 'thinking_delta', text: 'first.' },
      { type: 'text_delta', text: 'Looking ' },
      { type: 'text_delta', text: 'around.' },
      { type: 'tool_call', callId: 'call_1_1', name: 'bash', input: { command: 'ls' } },
      { type: 'tool_call', callId: 'mine', name: 'read_file', input: { path: 'a.txt' } },
      {
        type: 'usage',
        usage: {
          inputTokens: 5,
          outputTokens: 3,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          reasoningTokens: 0,
        },
      },
      expect.objectContaining({ type: 'finish', reason: 'tool_use' }),
    ]);
    expect(finishOf(await collect(adapter.stream(request([]), signal()))).message.content).toEqual([
      { type: 'text', text: 'Done.' },
    ]);
    await expect(collect(adapter.stream(request([]), signal()))).rejects.toMatchObject({
      kind: 'exhausted',
      message: expect.stringMatching(/has 2 turns; the loop asked for turn 3/),
    });
  });

  it('names the file and the field when the script is wrong', () => {
    const bad = writeScript('bad.json', { turns: [{ text: 'ok' }, { toolCalls: [{ input: {} }] }] });
    expect(() =>
      createModelAdapter({ provider: 'scripted', script: bad }, deps({}, { baseDir: dir })),
    ).toThrow(/bad\.json.*turns\[1\]\.toolCalls\[0\]\.name/);
    const typo = writeScript('typo.json', { turns: [{ txt: 'hi' }] });
    expect(() =>
      createModelAdapter({ provider: 'scripted', script: typo }, deps({}, { baseDir: dir })),
    ).toThrow(/txt/);
    const notJson = writeScript('broken.json', '{"turns": [');
    expect(() =>
      createModelAdapter({ provider: 'scripted', script: notJson }, deps({}, { baseDir: dir })),
    ).toThrow(/broken\.json is not valid JSON/);
    expect(() =>
      createModelAdapter({ provider: 'scripted', script: 'missing.json' }, deps({}, { baseDir: dir })),
    ).toThrow(/missing\.json does not exist/);
  });

  it('cuts a turn delay short when the signal aborts', async () => {
    const slow = writeScript('slow.json', { turns: [{ text: 'late', delayMs: 10_000 }] });
    const adapter = createModelAdapter({ provider: 'scripted', script: slow }, deps({}, { baseDir: dir }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = Date.now();
    await expect(collect(adapter.stream(request([]), controller.signal))).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('an error turn fails the call, and a retryable one is retried with the next turn', async () => {
    const script = writeScript('errors.json', {
      turns: [
        { error: { kind: 'overloaded' } },
        { text: 'recovered' },
        { error: { kind: 'bad_request', message: 'nope' } },
      ],
    });
    const adapter = createModelAdapter({ provider: 'scripted', script }, deps({}, { baseDir: dir }));
    expect(finishOf(await collect(adapter.stream(request([]), signal()))).message.content).toEqual([
      { type: 'text', text: 'recovered' },
    ]);
    await expect(collect(adapter.stream(request([]), signal()))).rejects.toMatchObject({
      kind: 'bad_request',
      message: 'nope',
    });
  });
});

describe('replay model', () => {
  it('replays a scripted conversation with the same tool calls in the same order', async () => {
    const scripted = createModelAdapter(
      { provider: 'scripted', script: writeScript('replayed.json', SCRIPT) },
      deps({}, { baseDir: dir }),
    );
    const recorded: AssistantMessage[] = [];
    const scriptedCalls: unknown[] = [];
    for (let turn = 0; turn < SCRIPT.turns.length; turn++) {
      const chunks = await collect(scripted.stream(request([]), signal()));
      scriptedCalls.push(...chunks.filter((chunk) => chunk.type === 'tool_call'));
      recorded.push(finishOf(chunks).message);
    }
    const replay = createModelAdapter(
      { provider: 'replay', run: 'run_1' },
      deps({}, { recordedTurns: (id) => (id === 'run_1' ? recorded : undefined) }),
    );
    const replayedCalls: unknown[] = [];
    const replayedMessages: AssistantMessage[] = [];
    for (let turn = 0; turn < recorded.length; turn++) {
      const chunks = await collect(replay.stream(request([]), signal()));
      replayedCalls.push(...chunks.filter((chunk) => chunk.type === 'tool_call'));
      replayedMessages.push(finishOf(chunks).message);
    }
    expect(replayedCalls).toEqual(scriptedCalls);
    expect(replayedCalls).toHaveLength(2);
    expect(replayedMessages).toEqual(recorded);
    await expect(collect(replay.stream(request([]), signal()))).rejects.toThrow(
      'run run_1 recorded 2 model turns; the loop asked for turn 3',
    );
  });

  it('fails at once for a run that does not exist', () => {
    expect(() => createModelAdapter({ provider: 'replay', run: 'run_x' }, deps({}))).toThrow(
      /run run_x does not exist/,
    );
  });
});

import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentRunEvent } from '../../src/api/types.js';
import { expectApiError } from '../helpers/errors.js';
import { collect, deploy, types, until } from '../helpers/runs.js';
import { type Harness, startHarness, TRANSPORTS } from '../helpers/transports.js';

describe.each(TRANSPORTS)('runs over %s (scripted model, local sandbox)', (transport) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(transport);
  });
  afterEach(() => h.close());

  it('a simple run resolves with output, files, messages, tool calls and usage', async () => {
    await deploy(h, 'bot', [
      {
        thinking: 'I will write the file.',
        toolCalls: [{ name: 'bash', input: { command: 'echo hello > hello.txt && cat hello.txt' } }],
        usage: {
          inputTokens: 10,
          outputTokens: 5,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          reasoningTokens: 0,
        },
      },
      { text: 'Created hello.txt.' },
    ]);
    const result = await h.rt.agents.run('bot', { message: 'Create hello.txt' });
    expect(result).toMatchObject({
      status: 'completed',
      output: 'Created hello.txt.',
      runtimeVersion: 1,
      turns: 2,
      devUrl: null,
    });
    expect(result.files).toEqual([
      { path: '/workspace/hello.txt', change: 'created', diff: expect.stringContaining('+hello') },
    ]);
    expect(result.toolCalls).toMatchObject([
      { tool: 'bash', isError: false, output: expect.stringContaining('hello') },
    ]);
    expect(result.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(result.usage).toMatchObject({ inputTokens: 10, outputTokens: 5, costUsd: null });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    // The workspace outlives the run: its files can be read afterwards.
    expect(await h.api.runs.readFile(result.id, '/hello.txt')).toBe('hello\n');
  });

  it('streams every step as numbered events, ending with complete and a terminal status', async () => {
    await deploy(h, 'bot', [
      {
        thinking: 'Plan: create then read.',
        text: 'Working on it. ',
        toolCalls: [
          { name: 'edit_file', input: { path: 'app.js', old_string: '', new_string: 'console.log(1);\n' } },
        ],
      },
      { toolCalls: [{ name: 'read_file', input: { path: 'app.js' } }] },
      { text: 'All done.' },
    ]);
    const run = await h.rt.agents.run('bot', { message: 'Build it', stream: true });
    const events = await collect(run);
    // Text and thinking stream as several deltas; one entry per run of them.
    // Usage (the totals so far) goes out at most once a second, so where the middle ones fall
    // depends on the machine's speed; the first comes after the first turn, the last before the end.
    const squashed = types(events).filter(
      (t, i, all) => t !== 'usage' && !((t === 'text' || t === 'thinking') && all[i - 1] === t),
    );
    expect(squashed).toEqual([
      'status:queued',
      'status:running',
      'thinking',
      'text',
      'tool_call',
      'file_edit',
      'tool_result',
      'tool_call',
      'tool_result',
      'text',
      'complete',
      'status:completed',
    ]);
    const usages = events.filter((e) => e.type === 'usage');
    expect(usages.length).toBeGreaterThanOrEqual(1);
    expect(usages.length).toBeLessThanOrEqual(3);
    expect(types(events).slice(-3)).toEqual(['usage', 'complete', 'status:completed']);
    expect(types(events).indexOf('usage')).toBeLessThan(types(events).indexOf('tool_call'));
    const done = await run.result();
    expect(usages.at(-1)).toMatchObject({ usage: done.usage, turns: done.turns });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(new Set(events.map((e) => e.runId))).toEqual(new Set([run.id]));
    const thinking = events.map((e) => (e.type === 'thinking' ? e.content : '')).join('');
    expect(thinking).toBe('Plan: create then read.');
    const edit = events.find((e) => e.type === 'file_edit') as Extract<AgentRunEvent, { type: 'file_edit' }>;
    expect(edit).toMatchObject({
      path: '/workspace/app.js',
      change: 'created',
      diff: expect.stringContaining('+console.log(1);'),
    });
    const call = events.find((e) => e.type === 'tool_call') as Extract<AgentRunEvent, { type: 'tool_call' }>;
    const result = events.find((e) => e.type === 'tool_result') as Extract<
      AgentRunEvent,
      { type: 'tool_result' }
    >;
    expect(result.callId).toBe(call.callId);
    expect(events.at(-2)).toMatchObject({ type: 'complete', output: 'All done.' });
    expect((await run.result()).status).toBe('completed');
  });

  it('turns a bad tool call into an error result the model reads, and goes on', async () => {
    await deploy(h, 'bot', [
      {
        toolCalls: [
          { name: 'bash', input: { cmd: 'ls' } },
          { name: 'gmail', input: {} },
        ],
      },
      { text: 'Recovered.' },
    ]);
    const result = await h.rt.agents.run('bot', { message: 'go' });
    expect(result.status).toBe('completed');
    expect(result.toolCalls.map((c) => c.isError)).toEqual([true, true]);
    expect(result.toolCalls[0]!.output).toMatch(/command/);
    expect(result.toolCalls[1]!.output).toMatch(
      /tool "gmail" is not available in this runtime; available tools: bash/,
    );
  });

  it('fails a looping agent clearly at the turn cap', async () => {
    const loop = Array.from({ length: 5 }, () => ({
      toolCalls: [{ name: 'bash', input: { command: 'true' } }],
    }));
    await deploy(h, 'bot', loop, { maxTurns: 3 });
    const result = await h.rt.agents.run('bot', { message: 'go' });
    expect(result).toMatchObject({
      status: 'failed',
      turns: 3,
      error: expect.stringMatching(/used all 3 model turns without finishing; raise maxTurns/),
    });
  });

  it('fails the run, not the server, when the model config cannot work', async () => {
    await h.rt.runtimes.create({ slug: 'keyless', model: 'claude-opus-4-5', tools: [] });
    await h.rt.deployments.create({
      runtimeSlug: 'keyless',
      apiSlug: 'keyless',
      templateSlug: 'base',
      sandbox: 'local',
    });
    const result = await h.rt.agents.run('keyless', { message: 'hi' });
    expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/ANTHROPIC_API_KEY/) });
    expect((await h.rt.runtimes.list()).length).toBe(1);
  });

  it('a provider failure mid-run fails that run with the reason; the next run works', async () => {
    await deploy(h, 'bot', [
      { toolCalls: [{ name: 'bash', input: { command: 'echo step one' } }] },
      { error: { kind: 'auth', message: 'invalid x-api-key' } },
    ]);
    const failed = await h.rt.agents.run('bot', { message: 'go' });
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringMatching(/invalid x-api-key/) });
    expect(failed.toolCalls).toHaveLength(1);
    await deploy(h, 'ok', [{ text: 'fine' }]);
    expect((await h.rt.agents.run('ok', { message: 'go' })).status).toBe('completed');
  });

  it('pause during a model call holds the run after that step; resume finishes it with nothing lost', async () => {
    await deploy(h, 'bot', [
      { delayMs: 1_500, toolCalls: [{ name: 'bash', input: { command: 'echo one' } }] },
      { text: 'finished' },
    ]);
    const run = await h.rt.agents.run('bot', { message: 'go', stream: true });
    const iterator = run[Symbol.asyncIterator]();
    const seen = await until(iterator, (e) => e.type === 'status' && e.status === 'running');
    // Inside the model's 1.5 s turn (the local sandbox is up in ~0.1 s).
    await new Promise((resolve) => setTimeout(resolve, 500));
    await run.pause();
    await until(iterator, (e) => e.type === 'status' && e.status === 'paused', seen);
    expect((await h.rt.runs.get(run.id)).status).toBe('paused');
    // The model step finished before the pause; its tool call is announced and waits to run.
    expect(seen.filter((e) => e.type === 'tool_call' || e.type === 'tool_result').map((e) => e.type)).toEqual(
      ['tool_call'],
    );
    await expectApiError(run.pause(), 409, /already paused/);
    await run.resume();
    await until(iterator, (e) => e.type === 'status' && e.status === 'completed', seen);
    expect(types(seen).filter((t) => t.startsWith('status'))).toEqual([
      'status:queued',
      'status:running',
      'status:paused',
      'status:running',
      'status:completed',
    ]);
    expect((await run.result()).toolCalls[0]!.output).toContain('one');
  });

  it('cancel during a tool kills it at once and ends the run as cancelled', async () => {
    await deploy(h, 'bot', [
      { toolCalls: [{ name: 'bash', input: { command: 'sleep 30' } }] },
      { text: 'never' },
    ]);
    const run = await h.rt.agents.run('bot', { message: 'go', stream: true });
    const iterator = run[Symbol.asyncIterator]();
    await until(iterator, (e) => e.type === 'tool_call');
    const started = performance.now();
    const cancelled = await run.cancel();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(cancelled.status).toBe('cancelled');
    await expectApiError(run.resume(), 409, /is cancelled; it cannot be resumed/);
    const stored = await h.rt.runs.get(run.id);
    expect(stored.events.at(-1)).toMatchObject({ type: 'status', status: 'cancelled' });
    expect(stored.messages.at(-1)).toMatchObject({ role: 'tool' });
  });

  it('sendInput during a model call continues a run whose model had ended its turn', async () => {
    await deploy(h, 'bot', [{ delayMs: 3_000, text: 'First answer.' }, { text: 'Dark mode added too.' }]);
    const run = await h.rt.agents.run('bot', { message: 'go', stream: true });
    const iterator = run[Symbol.asyncIterator]();
    await until(iterator, (e) => e.type === 'status' && e.status === 'running');
    // Well inside the model's 3 s turn (the local sandbox starts in ~0.1 s): the model is mid-call.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await run.sendInput('yes, continue with that approach');
    const events = await until(iterator, (e) => e.type === 'status' && e.status === 'completed');
    expect(events.find((e) => e.type === 'input')).toMatchObject({
      content: 'yes, continue with that approach',
    });
    const result = await h.rt.runs.get(run.id);
    expect(result.output).toBe('Dark mode added too.');
    expect(result.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  it('pause during a tool takes effect after it; input sent while paused arrives on resume; cancel while paused ends it', async () => {
    await deploy(h, 'bot', [
      { toolCalls: [{ name: 'bash', input: { command: 'sleep 0.5; echo slept' } }] },
      { text: 'read your input', toolCalls: [{ name: 'bash', input: { command: 'sleep 0.5' } }] },
      { text: 'never' },
    ]);
    const run = await h.rt.agents.run('bot', { message: 'go', stream: true });
    const iterator = run[Symbol.asyncIterator]();
    const seen = await until(iterator, (e) => e.type === 'tool_call');
    await run.pause();
    await until(iterator, (e) => e.type === 'status' && e.status === 'paused', seen);
    // The tool ran to its end before the pause took hold.
    expect(seen.find((e) => e.type === 'tool_result')).toMatchObject({
      output: expect.stringContaining('slept'),
    });
    await run.sendInput('use tabs');
    expect((await h.rt.runs.get(run.id)).status).toBe('paused');
    await run.resume();
    await until(iterator, (e) => e.type === 'input', seen);
    await until(iterator, (e) => e.type === 'text', seen);
    await run.pause();
    await until(iterator, (e) => e.type === 'status' && e.status === 'paused', seen);
    expect((await run.cancel()).status).toBe('cancelled');
    const stored = await h.rt.runs.get(run.id);
    expect(stored.messages.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'user',
      'assistant',
      'tool',
    ]);
  });

  it('cancel during a model call stops the model stream at once', async () => {
    await deploy(h, 'bot', [{ delayMs: 60_000, text: 'never' }]);
    const run = await h.rt.agents.run('bot', { message: 'go', stream: true });
    const iterator = run[Symbol.asyncIterator]();
    await until(iterator, (e) => e.type === 'status' && e.status === 'running');
    const started = performance.now();
    expect((await run.cancel()).status).toBe('cancelled');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect((await h.rt.runs.get(run.id)).turns).toBe(0);
  });

  it('input sent while a run is queued is the first thing its model reads after the message', async () => {
    await deploy(h, 'bot', [{ delayMs: 300, text: 'done' }], { maxConcurrent: 1 });
    const first = await h.rt.agents.run('bot', { message: 'one', stream: true });
    const second = await h.rt.agents.run('bot', { message: 'two', stream: true });
    expect((await second.sendInput('and use TypeScript')).status).toBe('queued');
    await first.result();
    const result = await second.result();
    expect(result.messages.slice(0, 2)).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'two' }] },
      { role: 'user', content: [{ type: 'text', text: 'and use TypeScript' }] },
    ]);
  });

  it('pauseBeforeTools holds every tool call before it runs until resume()', async () => {
    await deploy(h, 'bot', [
      {
        toolCalls: [
          { name: 'bash', input: { command: 'echo first' } },
          { name: 'bash', input: { command: 'echo second' } },
        ],
      },
      { text: 'done' },
    ]);
    const run = await h.rt.agents.run('bot', { message: 'go', stream: true, pauseBeforeTools: true });
    const iterator = run[Symbol.asyncIterator]();
    for (const expected of ['first', 'second']) {
      const seen = await until(iterator, (e) => e.type === 'status' && e.status === 'paused');
      expect(seen.at(-1)).toMatchObject({ reason: 'paused before bash; resume() runs it' });
      expect(seen.at(-2)).toMatchObject({ type: 'tool_call', input: { command: `echo ${expected}` } });
      await run.resume();
      await until(iterator, (e) => e.type === 'tool_result' && e.output.includes(expected));
    }
    expect((await run.result()).status).toBe('completed');
  });

  it('queues runs beyond maxConcurrent in FIFO order, with their position', async () => {
    await deploy(h, 'bot', [{ delayMs: 300, text: 'done' }], { maxConcurrent: 1 });
    const first = await h.rt.agents.run('bot', { message: 'one', stream: true });
    const second = await h.rt.agents.run('bot', { message: 'two', stream: true });
    const third = await h.rt.agents.run('bot', { message: 'three', stream: true });
    const waiting = await h.rt.runs.get(third.id);
    expect(waiting).toMatchObject({ status: 'queued', queuePosition: 2 });
    const [a, b, c] = await Promise.all([first.result(), second.result(), third.result()]);
    expect([a.status, b.status, c.status]).toEqual(['completed', 'completed', 'completed']);
    expect(Date.parse(b.startedAt!)).toBeGreaterThanOrEqual(Date.parse(a.endedAt!));
    expect(Date.parse(c.startedAt!)).toBeGreaterThanOrEqual(Date.parse(b.endedAt!));
    const thirdEvents = (await h.rt.runs.get(third.id)).events.filter((e) => e.type === 'status');
    expect(
      thirdEvents.map((e) => (e.type === 'status' ? [e.status, e.queuePosition ?? null] : null)),
    ).toEqual([
      ['queued', null],
      ['queued', 1],
      ['running', null],
      ['completed', null],
    ]);
  });

  it('runs of different deployments do not wait for each other; raising maxConcurrent starts waiting runs', async () => {
    await deploy(h, 'slow', [{ delayMs: 1_500, text: 'slow done' }], { maxConcurrent: 1 });
    await deploy(h, 'fast', [{ text: 'fast done' }], { maxConcurrent: 1 });
    const slow = await h.rt.agents.run('slow', { message: 'a', stream: true });
    const waiting = await h.rt.agents.run('slow', { message: 'b', stream: true });
    const fast = await h.rt.agents.run('fast', { message: 'c' });
    expect(fast.status).toBe('completed');
    expect((await h.rt.runs.get(slow.id)).status).toBe('running');
    expect((await h.rt.runs.get(waiting.id)).status).toBe('queued');
    await (await h.rt.deployments.get('slow')).update({ maxConcurrent: 2 });
    expect((await h.rt.runs.get(waiting.id)).status).toBe('running');
    await Promise.all([slow.result(), waiting.result()]);
  });

  it('pause, resume and cancel a run while it is queued', async () => {
    await deploy(h, 'bot', [{ delayMs: 300, text: 'done' }], { maxConcurrent: 1 });
    const first = await h.rt.agents.run('bot', { message: 'one', stream: true });
    const second = await h.rt.agents.run('bot', { message: 'two', stream: true });
    const third = await h.rt.agents.run('bot', { message: 'three', stream: true });
    expect((await second.pause()).status).toBe('paused');
    expect((await third.cancel()).status).toBe('cancelled');
    expect((await first.result()).status).toBe('completed');
    // The paused run keeps waiting while paused, even with the slot free.
    expect((await h.rt.runs.get(second.id)).status).toBe('paused');
    await second.resume();
    expect((await second.result()).status).toBe('completed');
    await expectApiError(third.sendInput('late'), 409, /is cancelled/);
  });

  it('times a run out during a long tool, killing the tool', async () => {
    await deploy(
      h,
      'bot',
      [{ toolCalls: [{ name: 'bash', input: { command: 'sleep 20; touch never.txt' } }] }, { text: 'x' }],
      { timeout: 1 },
    );
    const started = performance.now();
    const result = await h.rt.agents.run('bot', { message: 'go' });
    expect(performance.now() - started).toBeLessThan(8_000);
    expect(result).toMatchObject({ status: 'timed_out', error: expect.stringMatching(/timeout of 1 s/) });
  });

  it('a client that drops its stream reconnects from the last event and loses nothing', async () => {
    await deploy(h, 'bot', [
      { delayMs: 200, toolCalls: [{ name: 'bash', input: { command: 'echo a' } }] },
      { delayMs: 200, text: 'end' },
    ]);
    const run = await h.rt.agents.run('bot', { message: 'go', stream: true });
    const firstPart = await collect(run, (_, all) => all.length === 3);
    const rest = await collect(h.api.runs.events(run.id, { after: firstPart.at(-1)!.seq }));
    const all = [...firstPart, ...rest];
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    expect(all.at(-1)).toMatchObject({ type: 'status', status: 'completed' });
    // Replaying a finished run gives the same events.
    expect(await collect(h.api.runs.events(run.id, { after: 0 }))).toEqual(all);
  });

  it('adds context files to the first turn and continues from an earlier run with history', async () => {
    await deploy(h, 'bot', [{ text: 'first' }]);
    const first = await h.rt.agents.run('bot', {
      message: 'remember 42',
      mounts: [{ workspaceId: 'proj', path: '/workspace' }],
    });
    const projDir = (await h.rt.workspaces.get('proj')).path;
    const { writeFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(path.join(projDir, 'src'));
    writeFileSync(path.join(projDir, 'src', 'App.tsx'), 'export const App = () => null;\n');
    const second = await h.rt.agents.run('bot', {
      message: 'Add dark mode to the app',
      mounts: [{ workspaceId: 'proj', path: '/workspace' }],
      context: { files: ['/src/App.tsx'], history: first.messages },
    });
    expect(second.status).toBe('completed');
    expect(second.messages[0]).toEqual(first.messages[0]);
    const lastUser = second.messages[2]!;
    expect(lastUser.role).toBe('user');
    expect(JSON.stringify(lastUser)).toContain('export const App = () => null;');
    expect(JSON.stringify(lastUser)).toContain('<file path=\\"/workspace/src/App.tsx\\">');
    const missing = await h.rt.agents.run('bot', { message: 'x', context: { files: ['/nope.ts'] } });
    expect(missing).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/context file "\/nope.ts" could not be read/),
    });
  });

  it('lists and reads run files during and after the run, refusing paths outside its mounts', async () => {
    await deploy(h, 'bot', [
      { toolCalls: [{ name: 'bash', input: { command: 'mkdir -p src && echo hi > src/a.txt' } }] },
      { delayMs: 500, text: 'ok' },
    ]);
    const run = await h.rt.agents.run('bot', { message: 'go', stream: true });
    const iterator = run[Symbol.asyncIterator]();
    await until(iterator, (e) => e.type === 'tool_result');
    expect((await run.files.list('/')).map((f) => [f.name, f.type])).toEqual([['src', 'directory']]);
    expect(await run.files.read('/src/a.txt')).toBe('hi\n');
    await run.result();
    expect(await run.files.read('src/a.txt')).toBe('hi\n');
    await expectApiError(run.files.read('/../../etc/passwd'), 404, /no file/);
    await expectApiError(run.files.read('/etc/passwd'), 404, /no file "\/workspace\/etc\/passwd"/);
  });

  it('lists runs newest first with filters and cursor pagination', async () => {
    await deploy(h, 'bot', [{ text: 'ok' }]);
    await deploy(h, 'other', [{ text: 'ok' }]);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await h.rt.agents.run('bot', { message: `m${i}` })).id);
    await h.rt.agents.run('other', { message: 'x' });
    const page1 = await h.rt.runs.list({ deployment: 'bot', status: 'completed', limit: 2 });
    expect(page1.data.map((r) => r.id)).toEqual([ids[4], ids[3]]);
    const page2 = await h.rt.runs.list({ deployment: 'bot', limit: 2, cursor: page1.nextCursor! });
    expect(page2.data.map((r) => r.id)).toEqual([ids[2], ids[1]]);
    const page3 = await h.rt.runs.list({ deployment: 'bot', limit: 2, cursor: page2.nextCursor! });
    expect(page3).toMatchObject({ data: [{ id: ids[0] }], nextCursor: null });
    expect((await h.rt.runs.list({ status: 'failed' })).data).toEqual([]);
    const detail = await h.rt.runs.get(ids[0]!);
    expect(detail).toMatchObject({ runtimeVersion: 1, output: 'ok', events: expect.any(Array) });
    await expectApiError(h.rt.runs.get('run-nope'), 404, /run "run-nope" not found/);
  });

  it('records the runtime version it ran with, and runs an older one on request', async () => {
    await deploy(h, 'bot', [{ text: 'ok' }]);
    const runtime = await h.rt.runtimes.get('bot');
    await runtime.update({ systemPrompt: 'v2 prompt' });
    const run = await h.rt.agents.run('bot', { message: 'go' });
    expect(run.runtimeVersion).toBe(2);
    expect((await runtime.versions()).at(-1)).toMatchObject({
      version: 2,
      reason: 'run',
      systemPrompt: 'v2 prompt',
    });
    const old = await h.rt.agents.run('bot', { message: 'go', runtimeVersion: 1 });
    expect(old.runtimeVersion).toBe(1);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/models/errors.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { adapterFor, collect, finishOf, neutralOnly, request, TARGETS, user } from './helpers.js';

const HOSTED = TARGETS.slice(0, 3);
const OK = { text: 'All good.' };

async function failure(promise: Promise<unknown>): Promise<ModelError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ModelError)) throw new Error(`expected a ModelError, got ${String(error)}`);
  return error;
}

describe.each(HOSTED)('$name failures', (target) => {
  let fake: FakeServer | undefined;
  afterEach(async () => fake?.close());
  const call = (extra = {}) => {
    if (!fake) throw new Error('no fake');
    return collect(
      adapterFor(target, fake, extra).stream(request([user('hi')]), new AbortController().signal),
    );
  };

  it('retries a 429 after the retry-after the server asked for', async () => {
    fake = await target.start([{ fail: { status: 429, headers: { 'retry-after': '0.3' } } }, OK]);
    const started = Date.now();
    const chunks = await call();
    expect(neutralOnly(finishOf(chunks).message).content).toEqual([{ type: 'text', text: 'All good.' }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(fake.requests).toHaveLength(2);
  });

  it.each([529, 503, 500])('retries HTTP %i with backoff, then succeeds', async (status) => {
    fake = await target.start([{ fail: { status } }, { fail: { status } }, OK]);
    expect(finishOf(await call()).reason).toBe('end_turn');
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up after maxRetries with the last error', async () => {
    fake = await target.start([
      { fail: { status: 500 } },
      { fail: { status: 500 } },
      { fail: { status: 500 } },
    ]);
    const error = await failure(call({ maxRetries: 2 }));
    expect(error).toMatchObject({ kind: 'server', status: 500, retryable: true });
    expect(fake.requests).toHaveLength(3);
  });

  it('does not retry a 400 and says the provider rejected the request', async () => {
    fake = await target.start([{ fail: { status: 400, message: 'messages: field required' } }, OK]);
    const error = await failure(call());
    expect(error).toMatchObject({ kind: 'bad_request', status: 400, retryable: false });
    expect(error.message).toContain('messages: field required');
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a wrong key as an auth error without retrying', async () => {
    fake = await target.start([OK]);
    const env = { ...target.env(fake) };
    for (const key of Object.keys(env)) if (key.endsWith('_KEY')) env[key] = 'wrong';
    const error = await failure(
      collect(
        adapterFor({ ...target, env: () => env }, fake).stream(
          request([user('hi')]),
          new AbortController().signal,
        ),
      ),
    );
    expect(error).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  it('turns a stream cut off mid-way into a stream error, not a silent restart', async () => {
    fake = await target.start([
      { text: 'This answer will never finish properly.', cutAfterEvents: target.preamble + 2 },
      OK,
    ]);
    const seen: string[] = [];
    const error = await failure(
      (async () => {
        for await (const chunk of adapterFor(target, fake!).stream(
          request([user('hi')]),
          new AbortController().signal,
        )) {
          seen.push(chunk.type);
        }
      })(),
    );
    expect(error.kind).toBe('stream');
    expect(seen).toContain('text_delta');
    expect(seen).not.toContain('finish');
    expect(fake.requests).toHaveLength(1);
  });

  it('stops the HTTP stream at once when the signal aborts', async () => {
    fake = await target.start([
      { text: 'Thinking about it for a very long time', hangAfterEvents: target.preamble + 2 },
    ]);
    const controller = new AbortController();
    const stream = adapterFor(target, fake).stream(request([user('hi')]), controller.signal);
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: 'text_delta' });
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    const error = await failure(
      (async () => {
        for (;;) if ((await iterator.next()).done) return;
      })(),
    );
    expect(error).toMatchObject({ kind: 'aborted', name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1000);
    await expect.poll(() => fake?.requests[0]?.closedEarly).toBe(true);
  });
});

describe.each(TARGETS.filter((target) => target.name !== 'google'))('$name tool-call JSON', (target) => {
  let fake: FakeServer | undefined;
  afterEach(async () => fake?.close());

  it('turns invalid tool-call JSON into a tool_call chunk with inputError', async () => {
    fake = await target.start([
      {
        toolCalls: [
          { id: 'bad', name: 'bash', rawArguments: '{"command": "ls' },
          { id: 'good', name: 'bash', input: { command: 'pwd' } },
        ],
      },
    ]);
    const chunks = await collect(
      adapterFor(target, fake).stream(request([user('hi')]), new AbortController().signal),
    );
    const calls = chunks.filter((chunk) => chunk.type === 'tool_call');
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ callId: 'bad', name: 'bash', input: '{"command": "ls' });
    expect(calls[0]?.inputError).toMatch(/not valid JSON/);
    expect(calls[1]).toEqual({ type: 'tool_call', callId: 'good', name: 'bash', input: { command: 'pwd' } });
    expect(finishOf(chunks).reason).toBe('tool_use');
  });
});

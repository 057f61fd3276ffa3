import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect, deploy } from '../helpers/runs.js';
import { type Harness, startHarness } from '../helpers/transports.js';

const SECRET_VALUE = 'sk-live-7f3a9c1e5b2d';

/** A local webhook receiver that fails the first `failures` deliveries. */
async function receiver(failures: number) {
  const received: { headers: IncomingHttpHeaders; body: string; status: number }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const status = received.length < failures ? 500 : 200;
      received.push({ headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('webhooks and secrets', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness('http', {
      env: { API_TOKEN: SECRET_VALUE, RUNTOOLS_WEBHOOK_SECRET: 'whsec_test' },
      overrides: { webhookBackoffMs: [20, 40, 80] },
    });
  });
  afterEach(() => h.close());

  it('retries a failing receiver with backoff, signs every delivery and records each attempt', async () => {
    const hook = await receiver(2);
    try {
      await deploy(h, 'bot', [{ text: 'done' }], { webhookUrl: hook.url, webhookEvents: ['run.completed'] });
      const result = await h.rt.agents.run('bot', { message: 'go' });
      expect(result.status).toBe('completed');
      await h.engine.webhooks.drain();
      expect(hook.received.map((r) => r.status)).toEqual([500, 500, 200]);
      const ids = new Set(hook.received.map((r) => r.headers['x-runtools-delivery']));
      expect(ids.size).toBe(1);
      for (const delivery of hook.received) {
        const expected = `sha256=${createHmac('sha256', 'whsec_test').update(delivery.body).digest('hex')}`;
        expect(delivery.headers['x-runtools-signature']).toBe(expected);
      }
      expect(JSON.parse(hook.received[2]!.body)).toMatchObject({
        event: 'run.completed',
        run: { id: result.id, status: 'completed', output: 'done' },
      });
      const attempts = h.engine.store.webhooks.forRun(result.id);
      expect(attempts.map((a) => [a.attempt, a.statusCode])).toEqual([
        [1, 500],
        [2, 500],
        [3, 200],
      ]);
    } finally {
      await hook.close();
    }
  });

  it('never blocks or fails a run because of a webhook, and sends only the events asked for', async () => {
    await deploy(h, 'bot', [{ text: 'done' }], {
      webhookUrl: 'http://127.0.0.1:9/unreachable',
      webhookEvents: ['run.completed'],
    });
    const started = performance.now();
    const result = await h.rt.agents.run('bot', { message: 'go' });
    expect(result.status).toBe('completed');
    expect(performance.now() - started).toBeLessThan(2_000);
    await h.engine.webhooks.drain();
    const attempts = h.engine.store.webhooks.forRun(result.id);
    expect(attempts).toHaveLength(4);
    expect(attempts.every((a) => a.error !== null)).toBe(true);
  });

  it('keeps a secret value out of events, stored messages, tool calls, output, webhooks and API responses', async () => {
    const hook = await receiver(0);
    try {
      await deploy(
        h,
        'bot',
        [
          {
            toolCalls: [
              { name: 'bash', input: { command: 'echo "token=$API_TOKEN" && echo "$API_TOKEN" > leak.txt' } },
            ],
          },
          { text: 'The token is in leak.txt.' },
        ],
        { secrets: ['API_TOKEN'], webhookUrl: hook.url, webhookEvents: ['run.completed'] },
      );
      const run = await h.rt.agents.run('bot', { message: 'print the token', stream: true });
      const events = await collect(run);
      const result = await h.rt.runs.get(run.id);
      await h.engine.webhooks.drain();
      expect(result.toolCalls[0]!.output).toContain('token=[secret:API_TOKEN]');
      const everything = JSON.stringify([
        events,
        result,
        hook.received.map((r) => r.body),
        await h.rt.runs.list(),
      ]);
      expect(everything).not.toContain(SECRET_VALUE);
      expect(everything).toContain('[secret:API_TOKEN]');
      // The diff of leak.txt is redacted too, though the file itself holds the real value for the agent.
      expect(result.files.find((f) => f.path.endsWith('leak.txt'))?.diff).toContain('[secret:API_TOKEN]');
      expect(JSON.stringify(h.engine.store.db.prepare('SELECT * FROM run_events').all())).not.toContain(
        SECRET_VALUE,
      );
      expect(JSON.stringify(h.engine.store.db.prepare('SELECT * FROM runs').all())).not.toContain(
        SECRET_VALUE,
      );
    } finally {
      await hook.close();
    }
  });
});

describe('restarts', () => {
  it('marks runs a stopped server left running or queued as interrupted, losing nothing else', async () => {
    const first = await startHarness('in-process');
    await deploy(first, 'bot', [{ delayMs: 60_000, text: 'never' }], { maxConcurrent: 1 });
    await deploy(first, 'quick', [{ text: 'ok' }]);
    const done = await first.rt.agents.run('quick', { message: 'done before the crash' });
    const running = await first.rt.agents.run('bot', { message: 'one', stream: true });
    const queued = await first.rt.agents.run('bot', { message: 'two', stream: true });
    await collect(running, (e) => e.type === 'status' && e.status === 'running');
    first.engine.runService.events.flush();
    // A second engine on the same data dir is the server started again after a crash.
    const { createLocalEngine } = await import('../../src/engine/create.js');
    const second = await createLocalEngine({ dataDir: first.dataDir, projectDir: first.projectDir });
    try {
      const interrupted = await second.recover();
      expect(interrupted.sort()).toEqual([running.id, queued.id].sort());
      for (const id of [running.id, queued.id]) {
        const run = await second.runs.get(id);
        expect(run).toMatchObject({
          status: 'interrupted',
          statusReason: expect.stringMatching(/the server stopped while the run was (running|queued)/),
        });
        expect(run.events.at(-1)).toMatchObject({ type: 'status', status: 'interrupted' });
      }
      expect(await second.runs.get(done.id)).toMatchObject({ status: 'completed', output: 'ok' });
      expect((await second.runtimes.list()).map((r) => r.slug)).toEqual(['bot', 'quick']);
    } finally {
      await first.engine.runService.stopAll();
      await second.close();
      await first.close();
    }
  });
});

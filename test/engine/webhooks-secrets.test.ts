import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalEngine } from '../../src/engine/create.js';
import { collect, deploy } from '../helpers/runs.js';
import { tempDir } from '../helpers/tmp.js';
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
  it('marks runs a killed server left running or queued as interrupted, losing nothing else', async () => {
    const { dir: dataDir, cleanup: cleanData } = tempDir();
    const { dir: projectDir, cleanup: cleanProject } = tempDir('runtools-project-');
    try {
      // A real process with an engine, killed with SIGKILL mid-run: no chance to clean up.
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.resolve('test/helpers/crash-child.ts'), dataDir, projectDir],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const ids = await new Promise<{ done: string; running: string; queued: string }>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
          const line = out.split('\n').find((l) => l.startsWith('READY '));
          if (line) resolve(JSON.parse(line.slice(6)));
        });
        child.on('exit', (code) => reject(new Error(`crash child exited early (${code})`)));
      });
      child.kill('SIGKILL');
      await once(child, 'exit');
      const engine = await createLocalEngine({ dataDir, projectDir });
      try {
        for (const id of [ids.running, ids.queued]) {
          const run = await engine.runs.get(id);
          expect(run).toMatchObject({
            status: 'interrupted',
            statusReason: expect.stringMatching(/the server stopped while the run was (running|queued)/),
          });
          expect(run.events.at(-1)).toMatchObject({ type: 'status', status: 'interrupted' });
          expect(run.events.map((e) => e.seq)).toEqual(run.events.map((_, i) => i + 1));
        }
        expect(await engine.runs.get(ids.done)).toMatchObject({ status: 'completed', output: 'ok' });
        expect((await engine.runtimes.list()).map((r) => r.slug)).toEqual(['bot', 'quick']);
      } finally {
        await engine.close();
      }
    } finally {
      cleanData();
      cleanProject();
    }
  });

  it('refuses a second engine on a data dir another live process holds', async () => {
    const { dir, cleanup } = tempDir();
    const child = spawn(process.execPath, [
      '-e',
      `require('fs').writeFileSync(${JSON.stringify(path.join(dir, 'engine.lock'))}, String(process.pid)); setTimeout(() => {}, 30000)`,
    ]);
    try {
      // The child holds the lock once it has written it (a busy machine may take a while to start it).
      const held = () => {
        try {
          return /^\d+$/.test(readFileSync(path.join(dir, 'engine.lock'), 'utf8'));
        } catch {
          return false;
        }
      };
      while (!held()) await new Promise((resolve) => setTimeout(resolve, 20));
      await expect(createLocalEngine({ dataDir: dir, projectDir: dir })).rejects.toThrow(
        /another runtools engine \(pid \d+\) is using the data dir/,
      );
    } finally {
      child.kill('SIGKILL');
      cleanup();
    }
  });
});

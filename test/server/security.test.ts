import { statSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunTools } from '../../src/sdk/client.js';
import { loadOrCreateKey } from '../../src/server/auth.js';
import { expectApiError } from '../helpers/errors.js';
import { deploy } from '../helpers/runs.js';
import { tempDir } from '../helpers/tmp.js';
import { type Harness, startHarness } from '../helpers/transports.js';

/** A raw request, so tests control every header (fetch forbids setting Host). */
function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the HTTP server', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('http');
  });
  afterAll(() => h.close());

  it('listens on loopback only', () => {
    expect(h.server!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses requests without the key, or with a wrong one', async () => {
    const none = await raw(`${h.server!.url}/v1/runtimes`, {});
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error.message).toMatch(/Authorization: Bearer <key>/);
    const wrong = await raw(`${h.server!.url}/v1/runtimes`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    await expectApiError(
      new RunTools({ baseUrl: h.server!.url, apiKey: 'nope' }).runtimes.list(),
      401,
      /missing or wrong API key/,
    );
  });

  it('refuses a Host that is not a loopback name (DNS rebinding)', async () => {
    const rebound = await raw(`${h.server!.url}/v1/runtimes`, {
      headers: { host: 'evil.example.com', authorization: 'Bearer test-key' },
    });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error.message).toMatch(/Host "evil.example.com" is not a loopback name/);
    const local = await raw(`${h.server!.url}/v1/runtimes`, {
      headers: { host: 'localhost:4400', authorization: 'Bearer test-key' },
    });
    expect(local.status).toBe(200);
  });

  it('answers unknown routes, wrong methods and bad JSON with clear errors', async () => {
    const auth = { authorization: 'Bearer test-key' };
    const missing = await raw(`${h.server!.url}/v1/nothing`, { headers: auth });
    expect(missing.status).toBe(404);
    const method = await raw(`${h.server!.url}/v1/runtimes`, { method: 'PUT', headers: auth });
    expect(method.status).toBe(405);
    expect(JSON.parse(method.body).error.message).toMatch(/use POST or GET/);
    const badJson = await raw(`${h.server!.url}/v1/runtimes`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"slug":',
    });
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.body).error).toMatchObject({
      type: 'invalid_request',
      message: expect.stringMatching(/not valid JSON/),
    });
  });

  it('says how to start the server when none is running', async () => {
    const down = new RunTools({ baseUrl: 'http://127.0.0.1:9', apiKey: 'x' });
    await expectApiError(
      down.runtimes.list(),
      0,
      /cannot reach runtools at http:\/\/127\.0\.0\.1:9 .*npx runtools dev/,
    );
  });
});

describe('the API key', () => {
  it('is generated once with mode 0600, then reused; RUNTOOLS_API_KEY wins', () => {
    const { dir, cleanup } = tempDir();
    try {
      const first = loadOrCreateKey(dir, {});
      expect(first.value).toMatch(/^rt_local_/);
      expect(statSync(first.source).mode & 0o777).toBe(0o600);
      expect(loadOrCreateKey(dir, {}).value).toBe(first.value);
      expect(loadOrCreateKey(dir, { RUNTOOLS_API_KEY: 'from-env' })).toEqual({
        value: 'from-env',
        source: 'env',
      });
    } finally {
      cleanup();
    }
  });
});

describe('SSE clients', () => {
  it('a client that goes away mid-stream stops its subscription at once', async () => {
    const h = await startHarness('http');
    try {
      await deploy(h, 'hold', [{ delayMs: 60_000, text: 'never' }]);
      const auth = { authorization: 'Bearer test-key', 'content-type': 'application/json' };
      const abort = new AbortController();
      const response = await fetch(`${h.server!.url}/v1/run/hold`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ message: 'x', stream: true }),
        signal: abort.signal,
      });
      const runId = response.headers.get('x-run-id')!;
      const follower = await fetch(`${h.server!.url}/v1/runs/${runId}/events`, {
        headers: auth,
        signal: abort.signal,
      });
      expect(follower.status).toBe(200);
      const log = h.engine.runService.events;
      await waitFor(() => log.subscriberCount(runId) === 2);
      abort.abort();
      await waitFor(() => log.subscriberCount(runId) === 0);
      await h.api.runs.cancel(runId);
    } finally {
      await h.close();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('requests the server cannot take', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('http');
  });
  afterAll(() => h.close());
  const auth = { authorization: 'Bearer test-key' };

  it('a malformed percent-escape in the path is a 400, and the server keeps answering', async () => {
    const bad = await raw(`${h.server!.url}/v1/runtimes/%E0%A4%A`, { headers: auth });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.message).toMatch(/malformed percent-escape; encode "%" as "%25"/);
    expect((await raw(`${h.server!.url}/v1/runtimes`, { headers: auth })).status).toBe(200);
  });

  it('a JSON body sent as text/plain is a 415 that says which type to send', async () => {
    const body = JSON.stringify({ slug: 'plain', systemPrompt: 'x', model: 'claude-opus-4-5' });
    const plain = await raw(`${h.server!.url}/v1/runtimes`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/plain' },
      body,
    });
    expect(plain.status).toBe(415);
    expect(JSON.parse(plain.body).error.message).toMatch(/Content-Type: application\/json/);
    const json = await raw(`${h.server!.url}/v1/runtimes`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json; charset=utf-8' },
      body,
    });
    expect(json.status).toBe(201);
  });

  it('a garbage cursor over HTTP is a 400 naming cursor', async () => {
    const res = await raw(`${h.server!.url}/v1/runs?cursor=zzz`, { headers: auth });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.message).toMatch(/cursor/);
  });
});

import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type Listener, listen } from '../../src/server/listener.js';

let listener: Listener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

interface Answer {
  status: number;
  body: string;
}

/** Sends a request over a real socket; resolves with the answer whenever it comes. */
function send(url: string, method: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/echo`, { method, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Resolves once the server has taken in `count` requests (held, since nothing serves yet). */
function received(l: Listener, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const onRequest = () => {
      if (++seen < count) return;
      l.server.off('request', onRequest);
      resolve();
    };
    l.server.on('request', onRequest);
  });
}

describe('a port opened before the app is ready', () => {
  it('holds requests that come early, bodies unread, and hands them to the app in order once it serves', async () => {
    listener = await listen('127.0.0.1', 0);
    const l = listener;
    const arrived = received(l, 2);
    const first = send(l.url, 'POST', '{"n":1}');
    const second = send(l.url, 'POST', '{"n":2}');
    await arrived;
    const order: string[] = [];
    l.serve((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        text += chunk;
      });
      req.on('end', () => {
        order.push(text);
        res.writeHead(200).end(`got ${text}`);
      });
    });
    expect(await first).toEqual({ status: 200, body: 'got {"n":1}' });
    expect(await second).toEqual({ status: 200, body: 'got {"n":2}' });
    expect(order).toEqual(['{"n":1}', '{"n":2}']);
    // Later requests go straight to the app.
    expect(await send(l.url, 'POST', 'later')).toEqual({ status: 200, body: 'got later' });
  });

  it('when the start fails, held requests get a 503 that says why, and the port closes', async () => {
    listener = await listen('127.0.0.1', 0);
    const l = listener;
    const arrived = received(l, 1);
    const held = send(l.url, 'GET');
    await arrived;
    await l.fail('runtools dev did not start: the data dir is locked');
    const answer = await held;
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toEqual({
      error: { type: 'unavailable', message: 'runtools dev did not start: the data dir is locked' },
    });
    expect(l.server.listening).toBe(false);
  });

  it('a port in use is refused at once, with the EADDRINUSE code the CLI explains', async () => {
    listener = await listen('127.0.0.1', 0);
    const port = Number(new URL(listener.url).port);
    await expect(listen('127.0.0.1', port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/studio/api/client.js';

// Chromium drops requests in flight with ERR_NETWORK_CHANGED whenever Docker adds or removes a
// container's interface; the studio's client must ride that out for reads and never repeat a write.
// Here a real server cuts the connection of chosen requests before answering, as that abort does.

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(
  cut: (request: IncomingMessage, n: number) => boolean,
): Promise<{ base: string; seen: string[] }> {
  const seen: string[] = [];
  server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    if (cut(request, seen.length)) return void request.socket.destroy();
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(request.method === 'GET' ? { data: [{ slug: 'a' }] } : { id: 'run-1' }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('the studio client over a connection that drops', () => {
  it('asks again for a read the network dropped, and gets the answer', async () => {
    const { base, seen } = await serve((_request, n) => n <= 2);
    const runtimes = await createClient('k', base).runtimes.list();
    expect(runtimes).toEqual([{ slug: 'a' }]);
    expect(seen).toEqual(['GET /v1/runtimes', 'GET /v1/runtimes', 'GET /v1/runtimes']);
  });

  it('gives up on a read after its retries, with the network error', async () => {
    const { base, seen } = await serve(() => true);
    await expect(createClient('k', base).runtimes.list()).rejects.toThrow(TypeError);
    expect(seen).toHaveLength(4);
  });

  it('never sends a write twice: a dropped cancel fails once', async () => {
    const { base, seen } = await serve(() => true);
    await expect(createClient('k', base).runs.cancel('run-1')).rejects.toThrow(TypeError);
    expect(seen).toEqual(['POST /v1/runs/run-1/cancel']);
  });
});

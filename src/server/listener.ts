import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

// Only node: imports here: `runtools dev` opens its port with this before the engine, the routes
// and zod are loaded, so a client that connects early is held, not refused.

/** A port that is open before the app behind it is ready. */
export interface Listener {
  url: string;
  server: Server;
  /** Hands the requests held so far, in order, and every later one to `handler`. */
  serve(handler: RequestListener): void;
  /** Startup failed: held and later requests get a 503 saying `message`, then the port closes. */
  fail(message: string): Promise<void>;
  /** Closes the port (no handler yet: held requests are cut). */
  close(): Promise<void>;
}

/**
 * Listens on host:port at once. Until `serve` is called, requests wait (their bodies unread, so
 * nothing is lost); none is answered with an error while the app is still starting.
 */
export async function listen(host: string, port: number): Promise<Listener> {
  const held: [IncomingMessage, ServerResponse][] = [];
  let handler: RequestListener | undefined;
  const server = createServer((req, res) => {
    if (handler) handler(req, res);
    else held.push([req, res]);
  });
  // Simple runs hold their request open until the run ends: no server-side request timeout.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  const serve = (next: RequestListener) => {
    handler = next;
    for (const [req, res] of held.splice(0)) next(req, res);
  };
  return {
    url: `http://${urlHost}:${address.port}`,
    server,
    serve,
    fail: async (message) => {
      serve((_req, res) => {
        const body = JSON.stringify({ error: { type: 'unavailable', message } });
        res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
        res.end(body);
      });
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
    close,
  };
}

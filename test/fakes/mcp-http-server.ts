import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { fakeMcpServer } from './mcp-tools.js';

export interface FakeMcpHttpServer {
  url: string;
  /** Authorization headers of the requests it got. */
  authorizations: string[];
  close(): Promise<void>;
}

/**
 * A streamable-HTTP MCP server on a random loopback port, through the official SDK's web-standard
 * handler. Its `crash` tool cuts the connection of the call mid-way (the server itself stays up).
 */
export async function startFakeMcpHttpServer(options: { log?: string } = {}): Promise<FakeMcpHttpServer> {
  const authorizations: string[] = [];
  let current: ServerResponse | undefined;
  const handler = createMcpHandler(() =>
    fakeMcpServer({ log: options.log, crash: () => current?.socket?.destroy() }),
  );
  const server = createServer((req, res) => {
    authorizations.push(String(req.headers.authorization ?? ''));
    current = res;
    void serve(req, res);
  });
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) =>
        v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => [k, x] as [string, string]),
      ),
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks),
      signal: abort.signal,
    });
    try {
      const response = await handler.fetch(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body) {
        for await (const chunk of response.body) {
          if (res.destroyed) break;
          res.write(chunk);
        }
      }
      res.end();
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    authorizations,
    close: async () => {
      await handler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

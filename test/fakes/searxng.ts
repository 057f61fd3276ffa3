import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSearxng {
  url: string;
  queries: string[];
  close(): Promise<void>;
}

/** A SearXNG-compatible JSON endpoint on 127.0.0.1: `GET /search?q=...&format=json`. */
export async function startFakeSearxng(
  results: { title: string; url: string; content: string; publishedDate?: string }[],
  options: { status?: number } = {},
): Promise<FakeSearxng> {
  const queries: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/search' || url.searchParams.get('format') !== 'json') {
      res.writeHead(404).end();
      return;
    }
    queries.push(url.searchParams.get('q') ?? '');
    if (options.status) {
      res.writeHead(options.status, { 'content-type': 'text/plain' }).end('rate limited');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ query: url.searchParams.get('q'), number_of_results: results.length, results }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

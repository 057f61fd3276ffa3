import type { ServerResponse } from 'node:http';
import type { AgentRunEvent } from '../api/types.js';

/** Starts a `text/event-stream` response; proxies must not buffer it. */
export function openSse(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...headers,
  });
  res.flushHeaders();
  res.socket?.setNoDelay(true);
}

/** One event; `id:` is the run sequence number so a client can resume with Last-Event-ID. */
export function writeSseEvent(res: ServerResponse, event: AgentRunEvent): boolean {
  return res.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

/** A comment line that keeps idle connections open through proxies. */
export function writeSseHeartbeat(res: ServerResponse): void {
  res.write(': keep-alive\n\n');
}

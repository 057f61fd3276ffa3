import type { AgentRunEvent } from '../api/types.js';

/** Parses a `text/event-stream` body into run events; comments and heartbeats are skipped. */
export async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<AgentRunEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        if (data.length > 0) yield JSON.parse(data.join('\n')) as AgentRunEvent;
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
      newline = buffer.indexOf('\n');
    }
  }
}

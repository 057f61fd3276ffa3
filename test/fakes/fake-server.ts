import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A tool call the fake model makes. `rawArguments` replaces the JSON of `input` (to send broken JSON). */
export interface FakeToolCall {
  /** Omitted: the Anthropic and OpenAI fakes invent one, the Gemini fake sends none (as Gemini may). */
  id?: string;
  name: string;
  input?: Record<string, unknown>;
  rawArguments?: string;
}

/** Token counts in the neutral meaning (input without cache, output with reasoning); fakes render each protocol's. */
export interface FakeUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
}

/** One assistant turn in a protocol-neutral form; each fake renders it to its provider's wire format. */
export interface FakeTurn {
  thinking?: string;
  /** Anthropic: the thinking block's signature (default `sig-<turn>`). */
  signature?: string;
  /** Anthropic: a redacted_thinking block with this data, before any thinking. */
  redactedThinking?: string;
  text?: string;
  toolCalls?: FakeToolCall[];
  usage?: FakeUsage;
  /** Default: tool_use when there are tool calls, else end_turn. */
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens';
  /** Gemini: the thoughtSignature on the first functionCall part. */
  thoughtSignature?: string;
  /** Gemini: a thoughtSignature on the turn's last text chunk (or on an empty text chunk after its calls). */
  textSignature?: string;
  /** OpenAI Responses: the reasoning item's encrypted_content (default `enc-<turn>`), sent when asked for. */
  encryptedReasoning?: string;
}

/** A scripted reply: a turn, optionally with an injected failure. */
export interface FakeStep extends FakeTurn {
  /** Answer with this HTTP error instead of a stream. */
  fail?: {
    status: number;
    headers?: Record<string, string>;
    type?: string;
    message?: string;
    body?: unknown;
  };
  /** Send the protocol's in-stream error after this many events, then end the stream. */
  streamError?: { afterEvents: number; type?: string; message?: string };
  /** Destroy the connection after this many events (a stream cut off). */
  cutAfterEvents?: number;
  /** Send this many events, then hold the stream open until the client goes away. */
  hangAfterEvents?: number;
}

/** What a fake saw, for assertions. `body` is the parsed JSON request body. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** The request body exactly as sent, to compare requests byte for byte. */
  raw: string;
  /** True once the client closed the connection before the reply was complete. */
  closedEarly: boolean;
}

export interface FakeServer {
  /** Origin, e.g. http://127.0.0.1:51234. */
  url: string;
  /** The base URL to give the SDK or the *_BASE_URL variable. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Appends more steps to answer. */
  push(...steps: FakeStep[]): void;
  /** Steps not consumed yet. */
  remaining(): number;
  close(): Promise<void>;
}

export interface FakeOptions {
  turns?: FakeStep[];
  /** When set, requests without this key get the protocol's 401. */
  apiKey?: string;
}

/** What differs between protocols; the server mechanics are shared. */
export interface Protocol {
  name: string;
  baseURL(origin: string): string;
  matches(method: string, path: string): boolean;
  keyOf(headers: IncomingHttpHeaders, path: string): string | undefined;
  /** The SSE messages for a turn, each complete with its trailing blank line. */
  render(turn: FakeTurn, index: number, body: Record<string, unknown>, path: string): string[];
  errorBody(status: number, type: string | undefined, message: string): unknown;
  streamError(type: string | undefined, message: string, path: string): string;
}

/** A real HTTP server on 127.0.0.1 that answers one protocol from a queue of steps. */
export async function startFakeServer(protocol: Protocol, options: FakeOptions = {}): Promise<FakeServer> {
  const steps = [...(options.turns ?? [])];
  const requests: RecordedRequest[] = [];
  let answered = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const text = Buffer.concat(chunks).toString('utf8');
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        headers: req.headers,
        body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
        raw: text,
        closedEarly: false,
      };
      requests.push(record);
      res.on('close', () => {
        if (!res.writableFinished) record.closedEarly = true;
      });
      if (!protocol.matches(record.method, path.split('?')[0] ?? path)) {
        return json(
          res,
          404,
          protocol.errorBody(404, undefined, `fake ${protocol.name}: no route ${record.method} ${path}`),
        );
      }
      if (options.apiKey !== undefined && protocol.keyOf(req.headers, path) !== options.apiKey) {
        return json(res, 401, protocol.errorBody(401, undefined, 'invalid x-api-key'));
      }
      const step = steps.shift();
      const index = answered++;
      if (!step) {
        return json(
          res,
          500,
          protocol.errorBody(
            500,
            undefined,
            `fake ${protocol.name}: no turn scripted for request ${index + 1}`,
          ),
        );
      }
      if (step.fail) {
        const message = step.fail.message ?? `fake ${step.fail.status}`;
        return json(
          res,
          step.fail.status,
          step.fail.body ?? protocol.errorBody(step.fail.status, step.fail.type, message),
          step.fail.headers,
        );
      }
      stream(res, protocol, step, index, record.body, path.split('?')[0] ?? path);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    baseURL: protocol.baseURL(origin),
    requests,
    push: (...more) => steps.push(...more),
    remaining: () => steps.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function stream(
  res: ServerResponse,
  protocol: Protocol,
  step: FakeStep,
  index: number,
  body: Record<string, unknown>,
  path: string,
) {
  const events = protocol.render(step, index, body, path);
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const limit = step.streamError?.afterEvents ?? step.cutAfterEvents ?? step.hangAfterEvents ?? events.length;
  for (const event of events.slice(0, limit)) res.write(event);
  if (step.streamError) {
    res.end(
      protocol.streamError(step.streamError.type, step.streamError.message ?? 'fake stream error', path),
    );
  } else if (step.cutAfterEvents !== undefined) {
    // Let the written events reach the client before the connection drops.
    setTimeout(() => res.destroy(), 20);
  } else if (step.hangAfterEvents === undefined) {
    res.end();
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Splits text into words with their trailing whitespace, the way every fake streams text. */
export const pieces = (text: string): string[] => text.match(/\s*\S+\s*/g) ?? (text === '' ? [] : [text]);

/** The JSON arguments of a fake tool call, split in two fragments as providers stream them. */
export function argumentFragments(call: FakeToolCall): string[] {
  const raw = call.rawArguments ?? JSON.stringify(call.input ?? {});
  const middle = Math.floor(raw.length / 2);
  return [raw.slice(0, middle), raw.slice(middle)].filter((part) => part !== '');
}

export const stopReasonOf = (turn: FakeTurn): 'end_turn' | 'tool_use' | 'max_tokens' =>
  turn.stopReason ?? ((turn.toolCalls?.length ?? 0) > 0 ? 'tool_use' : 'end_turn');

export const usageOf = (turn: FakeTurn): Required<FakeUsage> => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  ...turn.usage,
});

import {
  argumentFragments,
  type FakeOptions,
  type FakeServer,
  type FakeTurn,
  type Protocol,
  pieces,
  startFakeServer,
  stopReasonOf,
  usageOf,
} from './fake-server.js';

export type { FakeOptions, FakeServer, FakeStep, FakeTurn, RecordedRequest } from './fake-server.js';

const sse = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** The Anthropic Messages API: `POST /v1/messages` (or any path ending `/messages`), streamed as named SSE events. */
export const anthropicProtocol: Protocol = {
  name: 'anthropic',
  baseURL: (origin) => origin,
  matches: (method, path) => method === 'POST' && path.endsWith('/messages'),
  // SDK 1.x sends `Authorization: Bearer`, 0.x sent `x-api-key`: accept both.
  keyOf: (headers) => headers['x-api-key']?.toString() ?? headers.authorization?.replace(/^Bearer /, ''),
  render: renderTurn,
  errorBody: (status, type, message) => ({
    type: 'error',
    error: { type: type ?? ERROR_TYPES[status] ?? 'api_error', message },
    request_id: 'req_fake',
  }),
  streamError: (type, message) =>
    sse('error', { type: 'error', error: { type: type ?? 'overloaded_error', message } }),
};

function renderTurn(turn: FakeTurn, index: number, body: Record<string, unknown>): string[] {
  const usage = usageOf(turn);
  const inputUsage = {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cacheReadTokens,
  };
  const events = [
    sse('message_start', {
      type: 'message_start',
      message: {
        id: `msg_fake_${index + 1}`,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...inputUsage, output_tokens: 1 },
      },
    }),
    sse('ping', { type: 'ping' }),
  ];
  let block = 0;
  const open = (content_block: unknown) =>
    sse('content_block_start', { type: 'content_block_start', index: block, content_block });
  const delta = (d: unknown) =>
    sse('content_block_delta', { type: 'content_block_delta', index: block, delta: d });
  const stop = () => sse('content_block_stop', { type: 'content_block_stop', index: block++ });

  if (turn.redactedThinking !== undefined) {
    events.push(open({ type: 'redacted_thinking', data: turn.redactedThinking }), stop());
  }
  if (turn.thinking !== undefined) {
    events.push(open({ type: 'thinking', thinking: '', signature: '' }));
    for (const text of pieces(turn.thinking)) events.push(delta({ type: 'thinking_delta', thinking: text }));
    events.push(delta({ type: 'signature_delta', signature: turn.signature ?? `sig-${index + 1}` }), stop());
  }
  if (turn.text !== undefined) {
    events.push(open({ type: 'text', text: '' }));
    for (const text of pieces(turn.text)) events.push(delta({ type: 'text_delta', text }));
    events.push(stop());
  }
  (turn.toolCalls ?? []).forEach((call, callIndex) => {
    const id = call.id ?? `toolu_fake_${index + 1}_${callIndex + 1}`;
    events.push(open({ type: 'tool_use', id, name: call.name, input: {} }));
    // The API's first input_json_delta is often empty; clients must concatenate.
    events.push(delta({ type: 'input_json_delta', partial_json: '' }));
    for (const fragment of argumentFragments(call)) {
      events.push(delta({ type: 'input_json_delta', partial_json: fragment }));
    }
    events.push(stop());
  });
  events.push(
    sse('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReasonOf(turn), stop_sequence: null },
      usage: { ...inputUsage, output_tokens: usage.outputTokens },
    }),
    sse('message_stop', { type: 'message_stop' }),
  );
  return events;
}

/** Starts a fake Anthropic Messages API. Give the SDK `baseURL` (no /v1) or set ANTHROPIC_BASE_URL to it. */
export const startFakeAnthropic = (options: FakeOptions = {}): Promise<FakeServer> =>
  startFakeServer(anthropicProtocol, options);

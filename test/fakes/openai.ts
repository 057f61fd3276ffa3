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

const data = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  429: 'rate_limit_exceeded',
  500: 'server_error',
  503: 'server_error',
};

const FINISH = { end_turn: 'stop', tool_use: 'tool_calls', max_tokens: 'length' } as const;

/**
 * OpenAI Chat Completions: `POST /v1/chat/completions`, streamed as `data:` lines ending `data: [DONE]`.
 * A turn's thinking is sent as `reasoning_content`, as vLLM, llama.cpp and DeepSeek do (OpenAI does not).
 */
export const openaiProtocol: Protocol = {
  name: 'openai',
  baseURL: (origin) => `${origin}/v1`,
  matches: (method, path) => method === 'POST' && path.endsWith('/chat/completions'),
  keyOf: (headers) => headers.authorization?.replace(/^Bearer /, ''),
  render: renderTurn,
  errorBody: (status, type, message) => ({
    error: { message, type: type ?? ERROR_TYPES[status] ?? 'server_error', param: null, code: null },
  }),
  streamError: (type, message) =>
    data({ error: { message, type: type ?? 'server_error', param: null, code: null } }),
};

function renderTurn(turn: FakeTurn, index: number, body: Record<string, unknown>): string[] {
  const base = {
    id: `chatcmpl-fake-${index + 1}`,
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: body.model,
  };
  const chunk = (delta: unknown, finish_reason: string | null = null) =>
    data({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason }] });
  const events = [chunk({ role: 'assistant', content: '' })];
  for (const text of pieces(turn.thinking ?? '')) events.push(chunk({ reasoning_content: text }));
  for (const text of pieces(turn.text ?? '')) events.push(chunk({ content: text }));
  (turn.toolCalls ?? []).forEach((call, callIndex) => {
    const id = call.id ?? `call_fake_${index + 1}_${callIndex + 1}`;
    events.push(
      chunk({
        tool_calls: [
          { index: callIndex, id, type: 'function', function: { name: call.name, arguments: '' } },
        ],
      }),
    );
    for (const fragment of argumentFragments(call)) {
      events.push(chunk({ tool_calls: [{ index: callIndex, function: { arguments: fragment } }] }));
    }
  });
  events.push(chunk({}, FINISH[stopReasonOf(turn)]));
  const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
  if (streamOptions?.include_usage) {
    const usage = usageOf(turn);
    const prompt = usage.inputTokens + usage.cacheReadTokens;
    events.push(
      data({
        ...base,
        choices: [],
        usage: {
          prompt_tokens: prompt,
          completion_tokens: usage.outputTokens,
          total_tokens: prompt + usage.outputTokens,
          prompt_tokens_details: { cached_tokens: usage.cacheReadTokens },
          completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
        },
      }),
    );
  }
  events.push('data: [DONE]\n\n');
  return events;
}

/** Starts a fake Chat Completions API. Its `baseURL` ends in /v1, as OPENAI_BASE_URL does. */
export const startFakeOpenAI = (options: FakeOptions = {}): Promise<FakeServer> =>
  startFakeServer(openaiProtocol, options);

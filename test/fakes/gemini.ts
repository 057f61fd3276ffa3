import {
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

const STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

const FINISH = { end_turn: 'STOP', tool_use: 'STOP', max_tokens: 'MAX_TOKENS' } as const;

/** `/v1beta/models/<model>:streamGenerateContent` (genai 2.x) or `/v1/...` (3.x). */
const ROUTE = /^\/(v1|v1beta)\/models\/[^/:]+:streamGenerateContent$/;

/**
 * The Gemini API's streamGenerateContent with `alt=sse`: `data:` lines, no event names, no end marker.
 * Function calls arrive whole, and a turn with calls still ends with finishReason STOP.
 */
export const geminiProtocol: Protocol = {
  name: 'gemini',
  baseURL: (origin) => origin,
  matches: (method, path) => method === 'POST' && ROUTE.test(path),
  keyOf: (headers, path) =>
    headers['x-goog-api-key']?.toString() ?? new URL(path, 'http://x').searchParams.get('key') ?? undefined,
  render: renderTurn,
  errorBody: (status, type, message) => ({
    error: { code: status, message, status: type ?? STATUS[status] ?? 'UNKNOWN' },
  }),
  streamError: (type, message) => data({ error: { code: 500, message, status: type ?? 'INTERNAL' } }),
};

type Part = Record<string, unknown>;

function renderTurn(turn: FakeTurn, index: number, body: Record<string, unknown>): string[] {
  const chunks: Part[][] = [];
  for (const text of pieces(turn.thinking ?? '')) chunks.push([{ text, thought: true }]);
  const texts = pieces(turn.text ?? '');
  texts.forEach((text, i) => {
    // Gemini puts a text signature on the part that ends the text.
    const signed = i === texts.length - 1 && turn.textSignature !== undefined;
    chunks.push([signed ? { text, thoughtSignature: turn.textSignature } : { text }]);
  });
  const calls = (turn.toolCalls ?? []).map(
    (call, callIndex): Part => ({
      functionCall: {
        ...(call.id === undefined ? {} : { id: call.id }),
        name: call.name,
        args: call.input ?? {},
      },
      ...(callIndex === 0 && turn.thoughtSignature !== undefined
        ? { thoughtSignature: turn.thoughtSignature }
        : {}),
    }),
  );
  if (calls.length > 0) chunks.push(calls);
  // With no text to carry it, the signature arrives on an empty text part in a last chunk.
  if (texts.length === 0 && turn.textSignature !== undefined) {
    chunks.push([{ text: '', thoughtSignature: turn.textSignature }]);
  }
  if (chunks.length === 0) chunks.push([]);
  const usage = usageOf(turn);
  const usageMetadata = {
    promptTokenCount: usage.inputTokens + usage.cacheReadTokens,
    cachedContentTokenCount: usage.cacheReadTokens,
    candidatesTokenCount: usage.outputTokens - usage.reasoningTokens,
    thoughtsTokenCount: usage.reasoningTokens,
    totalTokenCount: usage.inputTokens + usage.cacheReadTokens + usage.outputTokens,
  };
  return chunks.map((parts, i) => {
    const last = i === chunks.length - 1;
    return data({
      candidates: [
        {
          content: { role: 'model', parts },
          index: 0,
          ...(last ? { finishReason: FINISH[stopReasonOf(turn)] } : {}),
        },
      ],
      // Gemini sends running totals on every chunk.
      usageMetadata: last
        ? usageMetadata
        : { ...usageMetadata, candidatesTokenCount: 0, thoughtsTokenCount: 0 },
      modelVersion: String(body.model ?? 'gemini-fake'),
      responseId: `resp-fake-${index + 1}`,
    });
  });
}

/** Starts a fake Gemini API. Give the SDK `baseURL` (httpOptions.baseUrl) or set GOOGLE_GEMINI_BASE_URL to it. */
export const startFakeGemini = (options: FakeOptions = {}): Promise<FakeServer> =>
  startFakeServer(geminiProtocol, options);

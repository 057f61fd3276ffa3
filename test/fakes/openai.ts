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

const isResponses = (path: string): boolean => path.endsWith('/responses');

/**
 * The OpenAI API, both ways it streams a model turn:
 * - Chat Completions, `POST /v1/chat/completions`: `data:` lines ending `data: [DONE]`. A turn's
 *   thinking is sent as `reasoning_content`, as vLLM, llama.cpp and DeepSeek do (OpenAI does not).
 * - Responses, `POST /v1/responses`: named SSE events (`response.created` ... `response.completed`),
 *   each with a `sequence_number`; see renderResponsesTurn.
 */
export const openaiProtocol: Protocol = {
  name: 'openai',
  baseURL: (origin) => `${origin}/v1`,
  matches: (method, path) => method === 'POST' && (path.endsWith('/chat/completions') || isResponses(path)),
  keyOf: (headers) => headers.authorization?.replace(/^Bearer /, ''),
  render: (turn, index, body, path) =>
    isResponses(path) ? renderResponsesTurn(turn, index, body) : renderTurn(turn, index, body),
  errorBody: (status, type, message) => ({
    error: { message, type: type ?? ERROR_TYPES[status] ?? 'server_error', param: null, code: null },
  }),
  // The Responses API's in-stream error is an `error` event whose code says what failed.
  streamError: (type, message, path) =>
    isResponses(path)
      ? event('error', {
          type: 'error',
          code: type ?? 'server_error',
          message,
          param: null,
          sequence_number: 0,
        })
      : data({ error: { message, type: type ?? 'server_error', param: null, code: null } }),
};

const event = (name: string, value: unknown): string => `event: ${name}\ndata: ${JSON.stringify(value)}\n\n`;

/**
 * One turn as the Responses API streams it: response.created and in_progress, then each output item
 * in order (a reasoning item with its summary text, a message with its output_text, function calls
 * with their argument deltas), each opened by output_item.added and closed by output_item.done with
 * the whole item, then response.completed with all output and the usage. The reasoning item carries
 * encrypted_content only when the request's `include` asks for it, as the API does.
 */
function renderResponsesTurn(turn: FakeTurn, index: number, body: Record<string, unknown>): string[] {
  const events: string[] = [];
  let sequence = 0;
  const emit = (type: string, fields: Record<string, unknown>) =>
    events.push(event(type, { type, sequence_number: sequence++, ...fields }));
  const responseId = `resp_fake_${index + 1}`;
  const response = (status: string, output: unknown[], usage: unknown) => ({
    id: responseId,
    object: 'response',
    created_at: 1_700_000_000,
    status,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: body.instructions ?? null,
    model: body.model,
    output,
    parallel_tool_calls: true,
    store: body.store ?? true,
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    usage,
  });
  emit('response.created', { response: response('in_progress', [], null) });
  emit('response.in_progress', { response: response('in_progress', [], null) });

  const output: Record<string, unknown>[] = [];
  const include = Array.isArray(body.include) ? body.include : [];
  if (turn.thinking !== undefined) {
    const item_id = `rs_fake_${index + 1}`;
    const output_index = output.length;
    emit('response.output_item.added', {
      output_index,
      item: { id: item_id, type: 'reasoning', summary: [] },
    });
    const part = { type: 'summary_text', text: '' };
    emit('response.reasoning_summary_part.added', { item_id, output_index, summary_index: 0, part });
    for (const delta of pieces(turn.thinking)) {
      emit('response.reasoning_summary_text.delta', { item_id, output_index, summary_index: 0, delta });
    }
    const summary = { type: 'summary_text', text: turn.thinking };
    emit('response.reasoning_summary_text.done', {
      item_id,
      output_index,
      summary_index: 0,
      text: turn.thinking,
    });
    emit('response.reasoning_summary_part.done', { item_id, output_index, summary_index: 0, part: summary });
    const item = {
      id: item_id,
      type: 'reasoning',
      summary: [summary],
      ...(include.includes('reasoning.encrypted_content')
        ? { encrypted_content: turn.encryptedReasoning ?? `enc-${index + 1}` }
        : {}),
    };
    emit('response.output_item.done', { output_index, item });
    output.push(item);
  }
  if (turn.text !== undefined) {
    const item_id = `msg_fake_${index + 1}`;
    const output_index = output.length;
    const added = { id: item_id, type: 'message', status: 'in_progress', role: 'assistant', content: [] };
    emit('response.output_item.added', { output_index, item: added });
    const empty = { type: 'output_text', annotations: [], logprobs: [], text: '' };
    emit('response.content_part.added', { item_id, output_index, content_index: 0, part: empty });
    for (const delta of pieces(turn.text)) {
      emit('response.output_text.delta', { item_id, output_index, content_index: 0, delta, logprobs: [] });
    }
    const done = { ...empty, text: turn.text };
    emit('response.output_text.done', {
      item_id,
      output_index,
      content_index: 0,
      text: turn.text,
      logprobs: [],
    });
    emit('response.content_part.done', { item_id, output_index, content_index: 0, part: done });
    const item = { ...added, status: 'completed', content: [done] };
    emit('response.output_item.done', { output_index, item });
    output.push(item);
  }
  (turn.toolCalls ?? []).forEach((call, callIndex) => {
    const item_id = `fc_fake_${index + 1}_${callIndex + 1}`;
    const output_index = output.length;
    const call_id = call.id ?? `call_fake_${index + 1}_${callIndex + 1}`;
    const added = {
      id: item_id,
      type: 'function_call',
      status: 'in_progress',
      arguments: '',
      call_id,
      name: call.name,
    };
    emit('response.output_item.added', { output_index, item: added });
    for (const delta of argumentFragments(call)) {
      emit('response.function_call_arguments.delta', { item_id, output_index, delta });
    }
    const args = call.rawArguments ?? JSON.stringify(call.input ?? {});
    emit('response.function_call_arguments.done', {
      item_id,
      output_index,
      name: call.name,
      arguments: args,
    });
    const item = { ...added, status: 'completed', arguments: args };
    emit('response.output_item.done', { output_index, item });
    output.push(item);
  });
  const usage = usageOf(turn);
  const incomplete = stopReasonOf(turn) === 'max_tokens';
  emit(incomplete ? 'response.incomplete' : 'response.completed', {
    response: response(incomplete ? 'incomplete' : 'completed', output, {
      input_tokens: usage.inputTokens + usage.cacheReadTokens,
      input_tokens_details: { cached_tokens: usage.cacheReadTokens },
      output_tokens: usage.outputTokens,
      output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
      total_tokens: usage.inputTokens + usage.cacheReadTokens + usage.outputTokens,
    }),
  });
  return events;
}

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

/** Starts a fake OpenAI API (Chat Completions and Responses). Its `baseURL` ends in /v1, as OPENAI_BASE_URL does. */
export const startFakeOpenAI = (options: FakeOptions = {}): Promise<FakeServer> =>
  startFakeServer(openaiProtocol, options);

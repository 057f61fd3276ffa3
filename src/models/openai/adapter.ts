import type OpenAI from 'openai';
import { guardedStream } from '../guarded-stream.js';
import { type ModelLog, stderrLog } from '../sdk-log.js';
import type { ModelAdapter, ModelChunk, ModelRequest } from '../types.js';
import { loadOpenAISdk, type OpenAISdk, openAIClient, toOpenAIModelError } from './client.js';
import { type OpenAISettings, toOpenAIRequest } from './request.js';
import { type ResponsesSettings, toResponsesRequest } from './responses-request.js';
import { translateResponsesStream } from './responses-stream.js';
import { translateOpenAIStream } from './stream.js';

interface Connection {
  apiKey: string;
  /** API base including `/v1`; undefined is OpenAI's public API. */
  baseURL: string | undefined;
  /** `openai`, or `custom` for an OpenAI-compatible server. */
  provider: string;
  /** Where SDK warnings go; stderr when unset. */
  log?: ModelLog;
}

export type OpenAIAdapterOptions = Connection & OpenAISettings;
export type ResponsesAdapterOptions = Connection & ResponsesSettings;

const PUBLIC_BASE_URL = 'https://api.openai.com/v1';

/** A model behind the Chat Completions API, streamed: custom `openai`-format servers. */
export function createOpenAIAdapter(options: OpenAIAdapterOptions): ModelAdapter {
  return openAIAdapter(options, (client, request, signal) =>
    client.chat.completions
      .create(toOpenAIRequest(request, options), { signal })
      .then((chunks) => translateOpenAIStream(chunks, options.provider)),
  );
}

/**
 * A model behind the Responses API, streamed and stateless (`store: false`): OpenAI's own models, and
 * custom `openai-responses` servers. Reasoning items come back encrypted and go back with the next
 * request, so a reasoning model keeps its reasoning across tool calls.
 */
export function createResponsesAdapter(options: ResponsesAdapterOptions): ModelAdapter {
  return openAIAdapter(options, (client, request, signal) =>
    client.responses
      .create(toResponsesRequest(request, options), { signal })
      .then((events) => translateResponsesStream(events, options.provider)),
  );
}

/** The parts both APIs share: the lazily made client, abort and error handling. Retries are retry.ts's. */
function openAIAdapter(
  options: Connection & { model: string },
  call: (client: OpenAI, request: ModelRequest, signal: AbortSignal) => Promise<AsyncIterable<ModelChunk>>,
): ModelAdapter {
  const provider = options.provider;
  let client: OpenAI | undefined;
  const clientOf = (sdk: OpenAISdk): OpenAI => {
    client ??= openAIClient(sdk, {
      apiKey: options.apiKey,
      baseURL: options.baseURL ?? PUBLIC_BASE_URL,
      log: options.log ?? stderrLog,
    });
    return client;
  };
  return {
    provider,
    model: options.model,
    async *stream(request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelChunk> {
      let sdk: OpenAISdk | undefined;
      yield* guardedStream(
        provider,
        signal,
        async () => {
          sdk = await loadOpenAISdk();
          return call(clientOf(sdk), request, signal);
        },
        (error) => toOpenAIModelError(error, provider, sdk),
      );
    },
  };
}

import type { AgentRunDetail, EventsOptions, RunFileEntry, RunToolsApi } from '../api/contract.js';
import { RunToolsError, type RunToolsErrorType } from '../api/errors.js';
import type { ListRunsQuery } from '../api/requests.js';
import { type AgentRunData, type AgentRunEvent, isTerminal, type Page } from '../api/types.js';
import { parseSse } from './sse-client.js';

export interface HttpApiOptions {
  baseUrl: string;
  apiKey: string | undefined;
}

const RECONNECT_DELAYS_MS = [100, 250, 500, 1000, 2000];

/** The API over HTTP to a `runtools dev` server. */
export class HttpApi implements RunToolsApi {
  private readonly baseUrl: string;
  private readonly apiKey: string | undefined;

  constructor(options: HttpApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
  }

  private async fetch(
    method: string,
    path: string,
    body?: unknown,
    init: RequestInit = {},
  ): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        ...init,
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new RunToolsError(
        'unavailable',
        `cannot reach runtools at ${this.baseUrl} (${describeFetchError(error)}); start the server with "npx runtools dev" or set RUNTOOLS_BASE_URL`,
        undefined,
        0,
      );
    }
    if (!response.ok) throw await toError(response, method, path);
    return response;
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.fetch(method, path, body);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  private async list<T>(path: string): Promise<T[]> {
    return (await this.json<{ data: T[] }>('GET', path)).data;
  }

  readonly runtimes: RunToolsApi['runtimes'] = {
    create: (body) => this.json('POST', '/v1/runtimes', body),
    list: () => this.list('/v1/runtimes'),
    get: (slug) => this.json('GET', `/v1/runtimes/${enc(slug)}`),
    update: (slug, body) => this.json('PATCH', `/v1/runtimes/${enc(slug)}`, body),
    delete: (slug) => this.json('DELETE', `/v1/runtimes/${enc(slug)}`),
    createVersion: (slug) => this.json('POST', `/v1/runtimes/${enc(slug)}/versions`),
    versions: (slug) => this.list(`/v1/runtimes/${enc(slug)}/versions`),
    version: (slug, version) => this.json('GET', `/v1/runtimes/${enc(slug)}/versions/${version}`),
    rollback: (slug, body) => this.json('POST', `/v1/runtimes/${enc(slug)}/rollback`, body),
  };

  readonly deployments: RunToolsApi['deployments'] = {
    create: (body) => this.json('POST', '/v1/deployments', body),
    list: () => this.list('/v1/deployments'),
    get: (apiSlug) => this.json('GET', `/v1/deployments/${enc(apiSlug)}`),
    update: (apiSlug, body) => this.json('PATCH', `/v1/deployments/${enc(apiSlug)}`, body),
    delete: (apiSlug) => this.json('DELETE', `/v1/deployments/${enc(apiSlug)}`),
  };

  readonly workspaces: RunToolsApi['workspaces'] = {
    create: (body) => this.json('POST', '/v1/workspaces', body),
    list: () => this.list('/v1/workspaces'),
    get: (id) => this.json('GET', `/v1/workspaces/${enc(id)}`),
    delete: (id) => this.json('DELETE', `/v1/workspaces/${enc(id)}`),
  };

  readonly templates: RunToolsApi['templates'] = {
    list: () => this.list('/v1/templates'),
  };

  readonly integrations: RunToolsApi['integrations'] = {
    list: () => this.list('/v1/integrations'),
    view: (name, view) => this.list(`/v1/integrations/${enc(name)}/${enc(view)}`),
  };

  readonly evals: RunToolsApi['evals'] = {
    start: (body) => this.json('POST', '/v1/evals', body),
    get: (id) => this.json('GET', `/v1/evals/${enc(id)}`),
    list: () => this.list('/v1/evals'),
    cancel: (id) => this.json('POST', `/v1/evals/${enc(id)}/cancel`),
  };

  readonly runs: RunToolsApi['runs'] = {
    run: (apiSlug, body) =>
      this.json<AgentRunData>('POST', `/v1/run/${enc(apiSlug)}`, { ...body, stream: false }),
    stream: async (apiSlug, body) => {
      const abort = new AbortController();
      const response = await this.fetch(
        'POST',
        `/v1/run/${enc(apiSlug)}`,
        { ...body, stream: true },
        { signal: abort.signal },
      );
      const runId = response.headers.get('x-run-id');
      if (!runId || !response.body)
        throw new RunToolsError('internal', 'the server started a stream without a run id');
      return { runId, events: this.followStream(runId, response.body, abort) };
    },
    get: (id) => this.json<AgentRunDetail>('GET', `/v1/runs/${enc(id)}`),
    list: (query: ListRunsQuery) => this.json<Page<AgentRunData>>('GET', `/v1/runs${queryString(query)}`),
    events: (id, options) => this.events(id, options),
    pause: (id) => this.json('POST', `/v1/runs/${enc(id)}/pause`),
    resume: (id) => this.json('POST', `/v1/runs/${enc(id)}/resume`),
    cancel: (id) => this.json('POST', `/v1/runs/${enc(id)}/cancel`),
    sendInput: (id, body) => this.json('POST', `/v1/runs/${enc(id)}/input`, body),
    deny: (id, body) => this.json('POST', `/v1/runs/${enc(id)}/deny`, body),
    listFiles: async (id, dir) =>
      (
        await this.json<{ data: RunFileEntry[] }>(
          'GET',
          `/v1/runs/${enc(id)}/files?dir=${encodeURIComponent(dir)}`,
        )
      ).data,
    readFile: async (id, path) =>
      (await this.fetch('GET', `/v1/runs/${enc(id)}/file?path=${encodeURIComponent(path)}`)).text(),
    import: (bundle) => this.json('POST', '/v1/runs/import', bundle),
  };

  /** Events of a run; a dropped connection is resumed from the last sequence number seen. */
  private async *events(id: string, options: EventsOptions = {}): AsyncGenerator<AgentRunEvent> {
    const follow = options.follow ?? true;
    let after = options.after ?? 0;
    let failures = 0;
    while (true) {
      let response: Response;
      try {
        response = await this.fetch(
          'GET',
          `/v1/runs/${enc(id)}/events?after=${after}&follow=${follow}`,
          undefined,
          {
            signal: options.signal,
          },
        );
      } catch (error) {
        if (options.signal?.aborted) return;
        if (!(error instanceof RunToolsError) || error.type !== 'unavailable') throw error;
        if (failures >= RECONNECT_DELAYS_MS.length) throw this.wentAway(id, error);
        await sleep(RECONNECT_DELAYS_MS[failures++]!);
        continue;
      }
      try {
        for await (const event of parseSse(response.body!)) {
          failures = 0;
          after = event.seq;
          yield event;
          if (event.type === 'status' && isTerminal(event.status)) return;
        }
        if (!follow) return;
      } catch (error) {
        if (options.signal?.aborted) return;
        if (failures >= RECONNECT_DELAYS_MS.length) throw this.wentAway(id, error);
        await sleep(RECONNECT_DELAYS_MS[failures++]!);
      }
    }
  }

  /** The server stopped answering while a run was being followed: say so, and what it means for the run. */
  private wentAway(runId: string, error: unknown): RunToolsError {
    const cause = error instanceof RunToolsError ? error.message : describeFetchError(error);
    return new RunToolsError(
      'unavailable',
      `the runtools server at ${this.baseUrl} went away while following run ${runId} (${cause.replace(/;.*$/, '')}); a server that stops records its runs as interrupted (a crash: on its next start). Start it again and look with "runtools runs show ${runId}"`,
      { runId },
      0,
    );
  }

  /** The POST stream first; if it drops before the run ends, carry on through GET /events. */
  private async *followStream(
    runId: string,
    body: ReadableStream<Uint8Array>,
    abort: AbortController,
  ): AsyncGenerator<AgentRunEvent> {
    let after = 0;
    try {
      for await (const event of parseSse(body)) {
        after = event.seq;
        yield event;
        if (event.type === 'status' && isTerminal(event.status)) return;
      }
    } catch {
      // The connection dropped mid-run: resume below from the last sequence number.
    } finally {
      abort.abort();
    }
    yield* this.events(runId, { after });
  }
}

const enc = encodeURIComponent;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function queryString(query: ListRunsQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

async function toError(response: Response, method: string, path: string): Promise<RunToolsError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as {
      error?: { type?: RunToolsErrorType; message?: string; details?: unknown };
    };
    if (body.error?.message) {
      return new RunToolsError(
        body.error.type ?? 'internal',
        body.error.message,
        body.error.details,
        response.status,
      );
    }
  } catch {
    // Not our JSON error shape: fall through.
  }
  return new RunToolsError(
    'internal',
    `${method} ${path} answered ${response.status}: ${text.slice(0, 200)}; is this a runtools server?`,
    undefined,
    response.status,
  );
}

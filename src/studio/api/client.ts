// The one way the studio talks to the server: typed calls over the HTTP API, as any client would.
import type { AgentRunDetail, RunFileEntry } from '../../api/contract.js';
import type { EvalData, EvalDetail } from '../../api/evals.js';
import type { ListRunsQuery, RunRequestBody, UpdateDeploymentBody } from '../../api/schemas.js';
import type {
  AgentDeploymentData,
  AgentRunData,
  AgentRunEvent,
  AgentRuntimeData,
  GmailOutboxEntry,
  IntegrationData,
  Page,
  RuntimeVersion,
  TemplateData,
  WorkspaceData,
} from '../../api/types.js';
import { isTerminal } from '../../api/types.js';
import { readSse } from './sse.js';

/** An error the API answered with: its `message` says what was wrong and how to fix it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const enc = encodeURIComponent;

function queryString(query: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

// Spread, not written inline: this file also compiles under Node's fetch types (the tests run it
// there), which lack `cache`; Node ignores it and browsers need it.
const NO_STORE = { cache: 'no-store' } as const;

const NETWORK_RETRIES_MS = [100, 400, 1000];

/**
 * A GET that failed before any answer is tried again: Chromium aborts requests in flight with
 * ERR_NETWORK_CHANGED whenever a network interface comes or goes, which Docker does for every
 * container it starts, so a page open beside running containers sees it even on loopback.
 * Only GETs: they change nothing, so a second try is always safe.
 */
async function retryingNetworkFailures(
  request: () => Promise<Response>,
  signal?: AbortSignal,
): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await request();
    } catch (failure) {
      const wait = NETWORK_RETRIES_MS[attempt];
      if (!(failure instanceof TypeError) || signal?.aborted || wait === undefined) throw failure;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** GET /v1/runs's query (ListRunsQuery, with limit as the number it is). */
export type RunsQuery = Omit<ListRunsQuery, 'limit'> & { limit?: number };

export interface EventStreamOptions {
  /** Events after this sequence number (what the page already shows). */
  after: number;
  signal: AbortSignal;
  onEvent(event: AgentRunEvent): void;
}

export type Client = ReturnType<typeof createClient>;

/** A client for the server this page came from, calling it with `Authorization: Bearer <key>`. */
export function createClient(key: string, base = '') {
  async function send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${key}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const request = () =>
      fetch(base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        ...NO_STORE,
      });
    const response = method === 'GET' ? await retryingNetworkFailures(request, signal) : await request();
    if (!response.ok) throw await errorOf(response);
    return response;
  }
  async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await send(method, path, body);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }
  const data = async <T>(path: string): Promise<T[]> => (await json<{ data: T[] }>('GET', path)).data;

  return {
    runtimes: {
      list: () => data<AgentRuntimeData>('/v1/runtimes'),
      get: (slug: string) => json<AgentRuntimeData>('GET', `/v1/runtimes/${enc(slug)}`),
      update: (slug: string, body: { systemPrompt?: string; model?: unknown }) =>
        json<AgentRuntimeData>('PATCH', `/v1/runtimes/${enc(slug)}`, body),
      createVersion: (slug: string) => json<RuntimeVersion>('POST', `/v1/runtimes/${enc(slug)}/versions`),
      versions: (slug: string) => data<RuntimeVersion>(`/v1/runtimes/${enc(slug)}/versions`),
      rollback: (slug: string, version: number) =>
        json<AgentRuntimeData>('POST', `/v1/runtimes/${enc(slug)}/rollback`, { version }),
      writePromptFile: (slug: string, systemPrompt: string) =>
        json<{ file: string }>('PUT', `/v1/runtimes/${enc(slug)}/prompt-file`, { systemPrompt }),
    },
    deployments: {
      list: () => data<AgentDeploymentData>('/v1/deployments'),
      get: (apiSlug: string) => json<AgentDeploymentData>('GET', `/v1/deployments/${enc(apiSlug)}`),
      update: (apiSlug: string, body: UpdateDeploymentBody) =>
        json<AgentDeploymentData>('PATCH', `/v1/deployments/${enc(apiSlug)}`, body),
    },
    templates: { list: () => data<TemplateData>('/v1/templates') },
    integrations: {
      list: () => data<IntegrationData>('/v1/integrations'),
      gmailOutbox: () => data<GmailOutboxEntry>('/v1/integrations/gmail/outbox'),
    },
    evals: {
      list: () => data<EvalData>('/v1/evals'),
      get: (id: string) => json<EvalDetail>('GET', `/v1/evals/${enc(id)}`),
      cancel: (id: string) => json<EvalData>('POST', `/v1/evals/${enc(id)}/cancel`),
    },
    workspaces: { list: () => data<WorkspaceData>('/v1/workspaces') },
    runs: {
      list: (query: RunsQuery) => json<Page<AgentRunData>>('GET', `/v1/runs${queryString({ ...query })}`),
      get: (id: string) => json<AgentRunDetail>('GET', `/v1/runs/${enc(id)}`),
      pause: (id: string) => json<AgentRunData>('POST', `/v1/runs/${enc(id)}/pause`),
      resume: (id: string) => json<AgentRunData>('POST', `/v1/runs/${enc(id)}/resume`),
      cancel: (id: string) => json<AgentRunData>('POST', `/v1/runs/${enc(id)}/cancel`),
      input: (id: string, message: string) =>
        json<AgentRunData>('POST', `/v1/runs/${enc(id)}/input`, { message }),
      /** Skips the tool call the run is held before; the model reads `reason`. */
      deny: (id: string, reason: string) =>
        json<AgentRunData>('POST', `/v1/runs/${enc(id)}/deny`, reason ? { reason } : {}),
      /** A directory of the run's sandbox; the deployment's workspace when `dir` is left out. */
      files: (id: string, dir?: string) =>
        data<RunFileEntry>(`/v1/runs/${enc(id)}/files${queryString({ dir })}`),
      file: async (id: string, path: string) =>
        (await send('GET', `/v1/runs/${enc(id)}/file${queryString({ path })}`)).text(),
      /**
       * Starts a run and returns its id as soon as the server has it: the request streams, and the
       * page lets go of that stream once the id is in (the run goes on; the run view follows it).
       */
      start: async (apiSlug: string, body: RunRequestBody): Promise<string> => {
        const abort = new AbortController();
        const response = await send(
          'POST',
          `/v1/run/${enc(apiSlug)}`,
          { ...body, stream: true },
          abort.signal,
        );
        const runId = response.headers.get('x-run-id');
        abort.abort();
        if (!runId) throw new ApiError(500, 'internal', 'the server started a run without telling its id');
        return runId;
      },
      /**
       * Follows a run's events until it ends. A dropped connection is resumed with Last-Event-ID, so
       * no event is lost or shown twice.
       */
      follow: async (id: string, options: EventStreamOptions): Promise<void> => {
        let after = options.after;
        let failures = 0;
        while (!options.signal.aborted) {
          try {
            const response = await fetch(`${base}/v1/runs/${enc(id)}/events`, {
              headers: { authorization: `Bearer ${key}`, 'last-event-id': String(after) },
              signal: options.signal,
              ...NO_STORE,
            });
            if (!response.ok) throw await errorOf(response);
            if (!response.body) return;
            for await (const message of readSse(response.body)) {
              const event = JSON.parse(message.data) as AgentRunEvent;
              if (event.seq <= after) continue;
              after = event.seq;
              failures = 0;
              options.onEvent(event);
              if (event.type === 'status' && isTerminal(event.status)) return;
            }
            // Ended without the run's last event (a restart, a proxy): go on from where it stopped.
            failures++;
            await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 250 * 2 ** failures)));
          } catch (error) {
            if (options.signal.aborted) return;
            if (error instanceof ApiError && error.status < 500) throw error;
            failures++;
            await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 250 * 2 ** failures)));
          }
        }
      },
    },
  };
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { type?: string; message?: string; details?: unknown } };
    if (body.error?.message)
      return new ApiError(
        response.status,
        body.error.type ?? 'error',
        body.error.message,
        body.error.details,
      );
  } catch {
    // not JSON: fall through
  }
  return new ApiError(
    response.status,
    'error',
    `${response.status} ${response.statusText} ${text.slice(0, 200)}`,
  );
}

import type { ServerResponse } from 'node:http';
import type { RunToolsApi } from '../api/contract.js';
import { invalid, RunToolsError } from '../api/errors.js';
import {
  denySchema,
  listRunsQuerySchema,
  parseInput,
  promptFileSchema,
  runRequestSchema,
  sendInputSchema,
} from '../api/schemas.js';
import type { AgentRunEvent } from '../api/types.js';
import type { PromptFileWriter } from './prompt-file.js';
import { HANDLED, type RouteContext, Router } from './router.js';
import { openSse, writeSseEvent, writeSseHeartbeat } from './sse.js';

const HEARTBEAT_MS = 15_000;

/** Streams `events` to `res` as SSE until they end or the client goes away. */
async function pipeEvents(
  ctx: RouteContext,
  events: AsyncIterable<AgentRunEvent>,
  abort: AbortController,
  headers = {},
) {
  const { res } = ctx;
  openSse(res, headers);
  const heartbeat = setInterval(() => writeSseHeartbeat(res), HEARTBEAT_MS);
  const onClose = () => abort.abort();
  res.on('close', onClose);
  try {
    for await (const event of events) {
      if (abort.signal.aborted) break;
      if (!writeSseEvent(res, event)) await drained(res, abort.signal);
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  } finally {
    clearInterval(heartbeat);
    res.off('close', onClose);
    res.end();
  }
  return HANDLED;
}

const drained = (res: ServerResponse, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = () => {
      res.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });

function lastEventId(ctx: RouteContext): number {
  const raw = ctx.req.headers['last-event-id'] ?? ctx.query.get('after') ?? '0';
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  if (!Number.isInteger(value) || value < 0) {
    throw invalid('Last-Event-ID must be a sequence number (a whole number >= 0)');
  }
  return value;
}

function versionParam(raw: string | undefined): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw invalid(`version must be a whole number >= 1, got "${raw}"`);
  return value;
}

/** The HTTP API of DESIGN.md over a RunToolsApi (the Engine). */
export function createRoutes(api: RunToolsApi, options: { promptFiles?: PromptFileWriter } = {}): Router {
  const router = new Router();
  const p = (ctx: RouteContext, name: string) => ctx.params[name]!;

  router
    .add('GET', '/v1/health', async () => ({ ok: true }))
    .add('POST', '/v1/runtimes', async (ctx) => api.runtimes.create((await ctx.body()) as never), 201)
    .add('GET', '/v1/runtimes', async () => ({ data: await api.runtimes.list() }))
    .add('GET', '/v1/runtimes/:slug', async (ctx) => api.runtimes.get(p(ctx, 'slug')))
    .add('PATCH', '/v1/runtimes/:slug', async (ctx) =>
      api.runtimes.update(p(ctx, 'slug'), (await ctx.body()) as never),
    )
    .add('DELETE', '/v1/runtimes/:slug', async (ctx) => api.runtimes.delete(p(ctx, 'slug')))
    .add(
      'POST',
      '/v1/runtimes/:slug/versions',
      async (ctx) => api.runtimes.createVersion(p(ctx, 'slug')),
      201,
    )
    .add('GET', '/v1/runtimes/:slug/versions', async (ctx) => ({
      data: await api.runtimes.versions(p(ctx, 'slug')),
    }))
    .add('GET', '/v1/runtimes/:slug/versions/:version', async (ctx) =>
      api.runtimes.version(p(ctx, 'slug'), versionParam(ctx.params.version)),
    )
    .add('PUT', '/v1/runtimes/:slug/prompt-file', async (ctx) => {
      const body = parseInput(promptFileSchema, await ctx.body(), 'prompt file');
      const slug = p(ctx, 'slug');
      if (!options.promptFiles)
        throw new RunToolsError(
          'conflict',
          'this server was not started by "runtools dev" with a runtools.config.ts, so it writes no prompt files; save the prompt as a new version instead',
          { reason: 'no_config' },
        );
      const runtime = await api.runtimes.get(slug); // 404 for an unknown runtime, before anything else
      if (runtime.source !== 'config')
        throw new RunToolsError(
          'conflict',
          `runtime "${slug}" was made through the API, not by runtools.config.ts, so it has no prompt file; save the prompt as a new version instead`,
          { reason: 'not_in_config' },
        );
      return options.promptFiles.write(slug, body.systemPrompt);
    })
    .add('POST', '/v1/runtimes/:slug/rollback', async (ctx) =>
      api.runtimes.rollback(p(ctx, 'slug'), (await ctx.body()) as never),
    )
    .add('POST', '/v1/deployments', async (ctx) => api.deployments.create((await ctx.body()) as never), 201)
    .add('GET', '/v1/deployments', async () => ({ data: await api.deployments.list() }))
    .add('GET', '/v1/deployments/:apiSlug', async (ctx) => api.deployments.get(p(ctx, 'apiSlug')))
    .add('PATCH', '/v1/deployments/:apiSlug', async (ctx) =>
      api.deployments.update(p(ctx, 'apiSlug'), (await ctx.body()) as never),
    )
    .add('DELETE', '/v1/deployments/:apiSlug', async (ctx) => api.deployments.delete(p(ctx, 'apiSlug')))
    .add('POST', '/v1/run/:apiSlug', async (ctx) => {
      const body = parseInput(runRequestSchema, await ctx.body(), 'run request');
      if (!body.stream) return api.runs.run(p(ctx, 'apiSlug'), body);
      const abort = new AbortController();
      const { runId } = await api.runs.stream(p(ctx, 'apiSlug'), body);
      // Subscribed with the request's signal, so a client that goes away stops the subscription at once.
      const events = api.runs.events(runId, { after: 0, signal: abort.signal });
      return pipeEvents(ctx, events, abort, { 'x-run-id': runId });
    })
    .add('GET', '/v1/runs', async (ctx) =>
      api.runs.list(parseInput(listRunsQuerySchema, Object.fromEntries(ctx.query), 'runs query')),
    )
    .add('POST', '/v1/runs/import', async (ctx) => api.runs.import((await ctx.body()) as never), 201)
    .add('GET', '/v1/runs/:id', async (ctx) => api.runs.get(p(ctx, 'id')))
    .add('GET', '/v1/runs/:id/events', async (ctx) => {
      const abort = new AbortController();
      const follow = ctx.query.get('follow') !== 'false';
      const events = api.runs.events(p(ctx, 'id'), { after: lastEventId(ctx), follow, signal: abort.signal });
      return pipeEvents(ctx, events, abort);
    })
    .add('POST', '/v1/runs/:id/pause', async (ctx) => api.runs.pause(p(ctx, 'id')))
    .add('POST', '/v1/runs/:id/resume', async (ctx) => api.runs.resume(p(ctx, 'id')))
    .add('POST', '/v1/runs/:id/cancel', async (ctx) => api.runs.cancel(p(ctx, 'id')))
    .add('POST', '/v1/runs/:id/input', async (ctx) =>
      api.runs.sendInput(p(ctx, 'id'), parseInput(sendInputSchema, await ctx.body(), 'input')),
    )
    .add('POST', '/v1/runs/:id/deny', async (ctx) =>
      api.runs.deny(p(ctx, 'id'), parseInput(denySchema, await ctx.body(), 'deny')),
    )
    .add('GET', '/v1/runs/:id/files', async (ctx) => ({
      data: await api.runs.listFiles(p(ctx, 'id'), ctx.query.get('dir') ?? '/workspace'),
    }))
    .add('GET', '/v1/runs/:id/file', async (ctx) => {
      const file = ctx.query.get('path');
      if (!file) throw invalid('add ?path=<file>, like ?path=/src/App.tsx');
      const content = await api.runs.readFile(p(ctx, 'id'), file);
      ctx.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      ctx.res.end(content);
      return HANDLED;
    })
    .add('GET', '/v1/integrations', async () => ({ data: await api.integrations.list() }))
    .add('GET', '/v1/integrations/:name/:view', async (ctx) => ({
      data: await api.integrations.view(p(ctx, 'name'), p(ctx, 'view')),
    }))
    .add('GET', '/v1/templates', async () => ({ data: await api.templates.list() }))
    .add('POST', '/v1/workspaces', async (ctx) => api.workspaces.create((await ctx.body()) as never), 201)
    .add('GET', '/v1/workspaces', async () => ({ data: await api.workspaces.list() }))
    .add('GET', '/v1/workspaces/:id', async (ctx) => api.workspaces.get(p(ctx, 'id')))
    .add('DELETE', '/v1/workspaces/:id', async (ctx) => api.workspaces.delete(p(ctx, 'id')))
    .add('POST', '/v1/evals', async (ctx) => api.evals.start((await ctx.body()) as never), 201)
    .add('GET', '/v1/evals', async () => ({ data: await api.evals.list() }))
    .add('GET', '/v1/evals/:id', async (ctx) => api.evals.get(p(ctx, 'id')))
    .add('POST', '/v1/evals/:id/cancel', async (ctx) => api.evals.cancel(p(ctx, 'id')));
  return router;
}

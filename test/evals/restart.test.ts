import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { EvalData, EvalDetail } from '../../src/api/evals.js';
import type { AgentRunData } from '../../src/api/types.js';
import { apiCall, type Project, project, startDev } from '../cli/helpers.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { startPromptedOpenAI } from '../fakes/prompted-openai.js';
import { evalPolicy } from './policy.js';

// Evals across a server restart: what finished stays in the store and on the API, and an eval the
// server was running when it stopped (Ctrl-C, or killed outright) ends cancelled, saying why, with
// its unfinished runs interrupted, never left "running". A real `runtools dev` child process,
// stopped and started again on the same data dir; the local sandbox (Docker is not the point here).
let fake: FakeServer;
let p: Project;
let dev: Awaited<ReturnType<typeof startDev>> | undefined;

const LONG = 240_000;

function api<T>(pathName: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const key = readFileSync(path.join(p.dataDir, 'api-key'), 'utf8').trim();
  return apiCall<T>(dev!.url, key, pathName, init);
}

/** A quick case that passes, and one whose agent sleeps 30 s: the server stops while it sleeps. */
const suite = {
  name: 'slow',
  deployment: 'coder',
  cases: [
    {
      name: 'quick',
      message: 'Write hello to hello.txt',
      checks: [{ type: 'output_contains', value: 'hello' }],
    },
    { name: 'slow', message: 'Take your time', checks: [{ type: 'output_contains', value: 'Slept' }] },
  ],
};

async function evalWithOneDone(): Promise<string> {
  const started = await api<EvalData>('/v1/evals', { method: 'POST', body: { suite } });
  await expect
    .poll(async () => (await api<EvalData>(`/v1/evals/${started.id}`)).progress, {
      timeout: 120_000,
      interval: 200,
    })
    .toMatchObject({ done: 1, running: 1 });
  return started.id;
}

/** After the restart: the eval ended cancelled with the reason, quick kept, slow's run interrupted. */
async function expectStoppedCleanly(id: string): Promise<void> {
  const detail = await api<EvalDetail>(`/v1/evals/${id}`);
  expect(detail).toMatchObject({
    status: 'cancelled',
    error: expect.stringMatching(/the server stopped while the eval ran; what finished is kept/),
    progress: { total: 2, done: 2, running: 0, queued: 0 },
    passRate: 1,
    endedAt: expect.any(String),
  });
  expect(detail.results.map((r) => [r.case, r.status, r.passed])).toEqual([
    ['quick', 'passed', true],
    ['slow', 'cancelled', false],
  ]);
  expect(detail.report.variants[0]).toMatchObject({ trials: 1, passed: 1, passRate: 1 });
  const slow = await api<AgentRunData>(`/v1/runs/${detail.results[1]!.runId}`);
  expect(slow.status).toBe('interrupted');
  const listed = (await api<{ data: EvalData[] }>('/v1/evals')).data.find((e) => e.id === id);
  expect(listed).toMatchObject({
    status: 'cancelled',
    byVariant: [{ label: 'current', passed: 1, finished: 1 }],
  });
}

beforeAll(async () => {
  fake = await startPromptedOpenAI(evalPolicy());
  p = project({
    'runtools.config.ts': `export default ${JSON.stringify({
      runtimes: [
        {
          slug: 'coder',
          systemPrompt: 'You are an engineer.',
          model: { provider: 'custom', endpoint: fake.baseURL, format: 'openai', model: 'fake-coder' },
          tools: ['bash'],
        },
      ],
      deployments: [
        {
          apiSlug: 'coder',
          runtimeSlug: 'coder',
          templateSlug: 'base',
          sandbox: 'local',
          maxConcurrent: 2,
          timeout: 120,
        },
      ],
    })};\n`,
  });
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && dev)
    console.log(`runtools dev said:\n${dev.dev.stdout()}\n${dev.dev.stderr()}`);
});
afterAll(async () => {
  if (dev) {
    dev.dev.proc.kill('SIGKILL');
    await dev.dev.exited;
  }
  p?.cleanup();
  await fake?.close();
});

it('a finished eval is in the store and on the API after the server stops and starts again', {
  timeout: LONG,
}, async () => {
  dev = await startDev(p);
  const started = await api<EvalData>('/v1/evals', {
    method: 'POST',
    body: { suite: { ...suite, cases: [suite.cases[0]] }, repeat: 2 },
  });
  await expect
    .poll(async () => (await api<EvalData>(`/v1/evals/${started.id}`)).status, {
      timeout: 120_000,
      interval: 200,
    })
    .toBe('completed');
  const before = await api<EvalDetail>(`/v1/evals/${started.id}`);
  expect((await dev.stop()).code).toBe(0);
  dev = await startDev(p);
  const after = await api<EvalDetail>(`/v1/evals/${started.id}`);
  expect(after).toEqual(before);
  expect(after.results.map((r) => r.status)).toEqual(['passed', 'passed']);
  expect((await api<AgentRunData>(`/v1/runs/${after.results[0]!.runId}`)).status).toBe('completed');
});

it('an eval running when the server is stopped (Ctrl-C) ends cancelled with its run interrupted', {
  timeout: LONG,
}, async () => {
  dev ??= await startDev(p);
  const id = await evalWithOneDone();
  expect((await dev.stop()).code).toBe(0);
  dev = await startDev(p);
  await expectStoppedCleanly(id);
});

it('an eval running when the server is killed ends cancelled on the next start, its run interrupted', {
  timeout: LONG,
}, async () => {
  dev ??= await startDev(p);
  const id = await evalWithOneDone();
  dev.dev.proc.kill('SIGKILL');
  await dev.dev.exited;
  dev = await startDev(p);
  await expectStoppedCleanly(id);
});

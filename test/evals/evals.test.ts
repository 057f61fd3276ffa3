import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EvalSuiteInput } from '../../src/api/evals.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { startPromptedOpenAI } from '../fakes/prompted-openai.js';
import { describeDocker } from '../helpers/docker.js';
import { expectApiError } from '../helpers/errors.js';
import { type Harness, startHarness } from '../helpers/transports.js';
import { CAREFUL_PROMPT, evalPolicy } from './policy.js';

const docker = new Docker();
const MAX_CONCURRENT = 4;
/** Sixteen Docker runs on a shared 2-core machine take minutes, not seconds. */
const LONG = 400_000;

describeDocker('evals in Docker against a model whose answers depend on the prompt', () => {
  let h: Harness;
  let fake: FakeServer;
  let fixture: string;

  beforeAll(async () => {
    fake = await startPromptedOpenAI(evalPolicy());
    h = await startHarness('in-process');
    await h.rt.runtimes.create({
      slug: 'coder',
      systemPrompt: 'You are an engineer.',
      model: { provider: 'custom', endpoint: fake.baseURL, format: 'openai', model: 'fake-coder' },
      tools: ['bash'],
    });
    await h.rt.deployments.create({
      runtimeSlug: 'coder',
      apiSlug: 'coder',
      templateSlug: 'nodejs-20',
      sandbox: 'docker',
      maxConcurrent: MAX_CONCURRENT,
      timeout: 120,
    });
    fixture = path.join(h.projectDir, 'fixtures', 'data');
    mkdirSync(fixture, { recursive: true });
    writeFileSync(path.join(fixture, 'data.txt'), '42\n');
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  const suite = (): EvalSuiteInput => ({
    name: 'prompted',
    deployment: 'coder',
    cases: [
      {
        name: 'writes hello',
        message: 'Write hello to hello.txt',
        checks: [
          { type: 'file_exists', path: '/workspace/hello.txt' },
          { type: 'file_contains', path: '/workspace/hello.txt', value: 'hello' },
          { type: 'output_contains', value: 'HELLO' },
          { type: 'max_turns', value: 3 },
          {
            type: 'judge',
            model: { provider: 'custom', endpoint: fake.baseURL, format: 'openai', model: 'fake-judge' },
            rubric: 'The answer greets.',
          },
        ],
      },
      {
        name: 'test script passes',
        message: 'Add a test script test.sh',
        checks: [{ type: 'command', run: 'sh test.sh', timeoutMs: 20_000 }],
      },
      {
        name: 'coin',
        message: 'Flip a coin',
        checks: [{ type: 'output_matches', pattern: '^heads$' }],
      },
      {
        name: 'reads its fixture',
        message: 'Read the data file',
        workspace: fixture,
        checks: [
          { type: 'output_contains', value: 'The data says 42' },
          { type: 'file_contains', path: '/workspace/data.txt', value: 'changed-by-agent' },
        ],
      },
    ],
  });

  it(
    'runs cases x variants x trials as ordinary runs, and the careful prompt passes more',
    async () => {
      const result = await h.rt.evals.run({
        suite: suite(),
        variants: [{ label: 'baseline' }, { label: 'careful', systemPrompt: CAREFUL_PROMPT }],
        repeat: 2,
      });
      expect(result.status).toBe('completed');
      expect(result.progress).toMatchObject({ total: 16, done: 16, running: 0, queued: 0 });
      const [baseline, careful] = result.report.variants;
      // baseline: hello 2/2, test 0/2, coin 1/2, fixture 2/2; careful: hello 2/2, test 2/2, coin 1/2, fixture 2/2.
      expect(baseline).toMatchObject({
        label: 'baseline',
        trials: 8,
        passed: 5,
        passRate: 0.625,
        passHatK: 0.5,
      });
      expect(careful).toMatchObject({
        label: 'careful',
        trials: 8,
        passed: 7,
        passRate: 0.875,
        passHatK: 0.75,
      });
      expect(careful?.delta?.passRate).toBe(0.25);
      expect(baseline?.meanTurns).toBeGreaterThan(1);
      expect(baseline?.meanTokens).toBeGreaterThan(0);

      const coin = result.report.cases.find((c) => c.case === 'coin');
      expect(coin?.variants.map((v) => [v.label, v.passed, v.trials, v.flaky])).toEqual([
        ['baseline', 1, 2, true],
        ['careful', 1, 2, true],
      ]);
      const script = result.report.cases.find((c) => c.case === 'test script passes');
      expect(script?.variants.map((v) => [v.passed, v.flaky])).toEqual([
        [0, false],
        [2, false],
      ]);

      // The failing command check keeps the command's output and exit code.
      const failed = result.results.find((r) => r.case === 'test script passes' && r.variant === 'baseline');
      expect(failed).toMatchObject({ passed: false, runStatus: 'completed' });
      expect(failed?.checks[0]).toMatchObject({ type: 'command', passed: false });
      expect(failed?.checks[0]?.detail).toMatch(/exit 1[\s\S]*checking/);

      // Every check of the hello case, in the suite's order, with the judge's reason.
      const hello = result.results.find((r) => r.case === 'writes hello');
      expect(hello?.checks.map((c) => [c.type, c.passed])).toEqual([
        ['file_exists', true],
        ['file_contains', true],
        ['output_contains', true],
        ['max_turns', true],
        ['judge', true],
      ]);
      expect(hello?.checks[4]?.detail).toBe('the answer greets');

      // Each trial got a fresh copy of the fixture; the fixture itself is as it was.
      expect(readFileSync(path.join(fixture, 'data.txt'), 'utf8')).toBe('42\n');
      const fixtureTrials = result.results.filter((r) => r.case === 'reads its fixture');
      expect(fixtureTrials.every((r) => r.passed)).toBe(true);

      // The runs are ordinary runs, tagged with the eval, and their containers are gone.
      const runIds = result.results.map((r) => r.runId);
      expect(new Set(runIds).size).toBe(16);
      const run = await h.rt.runs.get(hello!.runId!);
      expect(run.input.eval).toEqual({
        id: result.id,
        case: 'writes hello',
        variant: hello!.variant,
        trial: hello!.trial,
      });
      const careful1 = result.results.find((r) => r.variant === 'careful')!;
      expect((await h.rt.runs.get(careful1.runId!)).input.systemPrompt).toBe(CAREFUL_PROMPT);
      const listed = await h.rt.runs.list({ deployment: 'coder', limit: 100 });
      expect(listed.data.filter((r) => r.input.eval?.id === result.id)).toHaveLength(16);
      // Removal follows each run's terminal event, off its critical path: wait for it.
      for (const id of runIds) {
        await expect
          .poll(() => docker.listContainers({ all: true, filters: { label: [`runtools.run=${id}`] } }), {
            timeout: 30_000,
          })
          .toEqual([]);
      }

      // Through the deployment's queue: never more runs at once than its maxConcurrent, and it was used.
      const spans = await Promise.all(runIds.map(async (id) => h.rt.runs.get(id!)));
      const edges = spans.flatMap((r) => [
        { at: Date.parse(r.startedAt!), step: 1 },
        { at: Date.parse(r.endedAt!), step: -1 },
      ]);
      edges.sort((a, b) => a.at - b.at || a.step - b.step);
      let open = 0;
      let most = 0;
      for (const edge of edges) {
        open += edge.step;
        most = Math.max(most, open);
      }
      expect(most).toBeLessThanOrEqual(MAX_CONCURRENT);
      expect(most).toBeGreaterThan(1);

      // Stored: listed, and read back the same.
      expect((await h.rt.evals.list()).map((e) => e.id)).toContain(result.id);
      expect((await h.rt.evals.get(result.id)).report).toEqual(result.report);
    },
    LONG,
  );

  it(
    'cancel mid-eval cancels its runs and keeps what finished',
    async () => {
      const started = await h.rt.evals.start({
        suite: {
          name: 'slow',
          deployment: 'coder',
          cases: [
            {
              name: 'quick',
              message: 'Write hello to hello.txt',
              checks: [{ type: 'output_contains', value: 'hello' }],
            },
            {
              name: 'slow',
              message: 'Take your time',
              checks: [{ type: 'output_contains', value: 'Slept' }],
            },
          ],
        },
        concurrency: 2,
      });
      // Wait until the quick case is scored and the slow one runs.
      while (true) {
        const current = await h.rt.evals.get(started.id);
        const quick = current.results.find((r) => r.case === 'quick');
        const slow = current.results.find((r) => r.case === 'slow');
        if (quick?.status === 'passed' && slow?.runId && current.progress.running === 1) break;
        if (current.status !== 'running')
          throw new Error(`the eval ended early: ${JSON.stringify(current.results)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const cancelled = await h.rt.evals.cancel(started.id);
      expect(cancelled.status).toBe('cancelled');
      const detail = await h.rt.evals.get(started.id);
      expect(detail.results.map((r) => [r.case, r.status])).toEqual([
        ['quick', 'passed'],
        ['slow', 'cancelled'],
      ]);
      expect(detail.report.variants[0]).toMatchObject({ trials: 1, passed: 1, passRate: 1 });
      const slowRun = await h.rt.runs.get(detail.results[1]!.runId!);
      expect(slowRun.status).toBe('cancelled');
    },
    LONG,
  );

  it('refuses a bad request, naming what is wrong and the fix', async () => {
    await expectApiError(
      h.rt.evals.start({ suite: { ...suite(), deployment: 'nope' } }),
      404,
      /deployment "nope" not found/,
    );
    await expectApiError(
      h.rt.evals.start({ suite: suite(), variants: [{ runtimeVersion: 99 }] }),
      404,
      /runtime "coder" has no version 99; its versions are 1 to \d+/,
    );
    await expectApiError(
      h.rt.evals.start({
        suite: { ...suite(), cases: [{ name: 'x', message: 'y', checks: [{ type: 'nope' } as never] }] },
      }),
      400,
      /suite\.cases\.0\.checks\.0.*unknown check type; use one of output_contains/,
    );
    await expectApiError(h.rt.evals.get('eval-missing'), 404, /eval "eval-missing" not found/);
  });
});

import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { EvalData, EvalDetail } from '../../src/api/evals.js';
import { apiCall, type Project, project } from '../cli/helpers.js';
import { CAREFUL_PROMPT, evalPolicy } from '../evals/policy.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { startPromptedOpenAI } from '../fakes/prompted-openai.js';
import { describeDocker } from '../helpers/docker.js';
import { describeBrowser, type OpenStudio, openStudio, type PageWatch, showFailure } from './browser.js';

// The evals page against `runtools dev`: an eval started through the API on a fake OpenAI-compatible
// model whose behaviour depends on the system prompt, so the draft variant passes more; real Docker runs.
let fake: FakeServer;
let p: Project;
let studio: OpenStudio | undefined;
let dev: OpenStudio['dev'];
let watch: PageWatch;
let origin: string;
let key: string;

function api<T>(pathName: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  return apiCall<T>(origin, key, pathName, init);
}

const suite = {
  name: 'scripts',
  deployment: 'coder',
  cases: [
    {
      name: 'test script passes',
      message: 'Add a test script test.sh',
      checks: [
        { type: 'file_exists', path: '/workspace/test.sh' },
        { type: 'command', run: 'sh test.sh', timeoutMs: 20_000 },
      ],
    },
    { name: 'coin', message: 'Flip a coin', checks: [{ type: 'output_contains', value: 'heads' }] },
  ],
};

describeDocker('the evals page (real Docker, real Chromium)', () => {
  describeBrowser('studio evals', () => {
    beforeAll(async () => {
      fake = await startPromptedOpenAI(evalPolicy());
      p = project({
        'runtools.config.ts': `export default ${JSON.stringify(
          {
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
                templateSlug: 'nodejs-20',
                maxConcurrent: 4,
                timeout: 120,
              },
            ],
          },
          null,
          2,
        )};\n`,
      });
      studio = await openStudio(p);
      ({ dev, origin, key, watch } = studio);
    });
    afterEach((ctx) => showFailure(ctx, watch, dev));
    afterAll(async () => {
      await studio?.close();
      p?.cleanup();
      await fake?.close();
    });

    it('shows an eval live, its grid as the API counts it, a cell’s runs, and two variants compared', {
      timeout: 400_000,
    }, async () => {
      const { page } = watch;
      const started = await api<EvalData>('/v1/evals', {
        method: 'POST',
        body: { suite, variants: [{}, { label: 'careful', systemPrompt: CAREFUL_PROMPT }], repeat: 2 },
      });

      // The list shows it while it runs; its page follows it to the end without a reload.
      await page.getByRole('link', { name: 'Evals', exact: true }).click();
      const row = page.locator(`tr[data-eval="${started.id}"]`);
      await row.waitFor();
      await row.getByRole('link', { name: 'scripts' }).click();
      await page.getByRole('heading', { name: /scripts/ }).waitFor();
      await watch.screenshot('eval-running');
      await page.locator('.view-head .badge', { hasText: 'completed' }).waitFor({ timeout: 360_000 });
      const detail = await api<EvalDetail>(`/v1/evals/${started.id}`);
      expect(detail.status).toBe('completed');
      expect(detail.progress).toMatchObject({ total: 8, done: 8 });
      await watch.screenshot('eval-completed');

      // Every cell is the API's count of passes over finished trials; flaky where the API says so.
      for (const c of detail.report.cases) {
        for (const v of c.variants) {
          const cell = page.locator(`tr[data-case="${c.case}"] td[data-variant="${v.label}"] button`);
          await expect.poll(() => cell.locator('.cell-count').textContent()).toBe(`${v.passed}/${v.trials}`);
          expect(await cell.locator('.mark', { hasText: 'flaky' }).count()).toBe(v.flaky ? 1 : 0);
        }
      }
      // What the policy makes of it: the draft fixes the script; the coin is heads every other time.
      expect(detail.report.cases).toEqual([
        {
          case: 'test script passes',
          variants: [
            { label: 'current', passed: 0, trials: 2, flaky: false },
            { label: 'careful', passed: 2, trials: 2, flaky: false },
          ],
        },
        {
          case: 'coin',
          variants: [
            { label: 'current', passed: 1, trials: 2, flaky: true },
            { label: 'careful', passed: 1, trials: 2, flaky: true },
          ],
        },
      ]);
      const variants = page.locator('table.eval-variants');
      for (const v of detail.report.variants) {
        await expect
          .poll(() => variants.locator(`tr[data-variant="${v.label}"] .pass-rate`).textContent())
          .toBe(`${Math.round(v.passRate * 100)}% (${v.passed}/${v.trials})`);
      }
      expect(await variants.locator('tr[data-variant="careful"] .delta').textContent()).toMatch(/^\+50 pts/);

      // A cell opens its trials, each with its checks and its run; a run link opens the run view.
      await page.getByRole('button', { name: /^test script passes on current: 0 of 2 passed$/ }).click();
      const trials = page.getByRole('region', { name: 'Trials of test script passes on current' });
      await trials.waitFor();
      const expected = detail.results.filter(
        (r) => r.case === 'test script passes' && r.variant === 'current',
      );
      for (const trial of expected) {
        await trials.getByRole('link', { name: trial.runId! }).waitFor();
      }
      await expect.poll(() => trials.locator('.check-fail').count()).toBe(2);
      expect(await trials.textContent()).toMatch(/\$ sh test\.sh → exit 1/);
      await watch.screenshot('eval-cell-open');
      await trials.getByRole('link', { name: expected[0]!.runId! }).click();
      await page.getByRole('heading', { name: 'Add a test script test.sh' }).waitFor();
      expect(page.url()).toContain(`#/runs/${expected[0]!.runId}`);
      await page.goBack();

      // Two variants, case by case: the checks that differ, and Compare on a failing and a passing run.
      const comparison = page.locator('table.variant-compare');
      await comparison.waitFor();
      const scripts = comparison.locator('tr[data-case="test script passes"]');
      expect(await scripts.locator('td').nth(1).textContent()).toBe('0/2');
      expect(await scripts.locator('td').nth(2).textContent()).toBe('2/2');
      expect(await scripts.locator('.check-diff').textContent()).toBe('command 0/2 → 2/2');
      expect(await comparison.locator('tr[data-case="coin"] td').nth(3).textContent()).toBe('same');
      await watch.screenshot('eval-compare-variants');
      await scripts.getByRole('link', { name: 'Compare runs' }).click();
      await page.getByRole('heading', { name: 'Compare' }).waitFor();
      const [, left, right] = /#\/compare\/([^/?]+)\/([^/?]+)/.exec(page.url()) ?? [];
      const failing = detail.results.find((r) => r.runId === left);
      const passing = detail.results.find((r) => r.runId === right);
      expect(failing).toMatchObject({ case: 'test script passes', variant: 'current', passed: false });
      expect(passing).toMatchObject({ case: 'test script passes', variant: 'careful', passed: true });
      await page.locator('.compare-facts').waitFor();
      await watch.screenshot('eval-compare-runs');

      // The list: the eval, its status and each variant's pass rate.
      await page.getByRole('link', { name: 'Evals', exact: true }).click();
      const listed = page.locator(`tr[data-eval="${started.id}"]`);
      await listed.locator('.badge', { hasText: 'completed' }).waitFor();
      expect(await listed.locator('.variant-rate').allTextContents()).toEqual(['current 25%', 'careful 75%']);
      await watch.screenshot('evals-list');

      expect(watch.consoleErrors).toEqual([]);
      expect(watch.foreignRequests).toEqual([]);
    });
  });
});

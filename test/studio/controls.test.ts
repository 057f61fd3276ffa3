import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { AgentRunData } from '../../src/api/types.js';
import { type Project, project, scriptJson } from '../cli/helpers.js';
import { describeDocker } from '../helpers/docker.js';
import {
  describeBrowser,
  type OpenStudio,
  openPage,
  openStudio,
  type PageWatch,
  showFailure,
} from './browser.js';

// Run controls, compare and the key check, from the page, against `runtools dev` with scripted
// models and real Docker runs.
let p: Project;
let studio: OpenStudio | undefined;
let dev: OpenStudio['dev'];
let browser: Browser;
let watch: PageWatch;
let studioUrl: string;
let origin: string;

const tick = (n: number) => ({
  text: `Tick ${n}.`,
  toolCalls: [{ name: 'bash', input: { command: `echo tick-${n}` } }],
  delayMs: 2_500,
});

function config(): string {
  const runtime = (slug: string) => ({
    slug,
    systemPrompt: 'You are a test agent.',
    model: { provider: 'scripted', script: `./${slug}.json` },
    tools: ['bash'],
  });
  const deployment = (slug: string) => ({
    apiSlug: slug,
    runtimeSlug: slug,
    templateSlug: 'nodejs-20',
    timeout: 600,
  });
  const slugs = ['slow', 'steps', 'uuid'];
  return `export default ${JSON.stringify({ runtimes: slugs.map(runtime), deployments: slugs.map(deployment) }, null, 2)};\n`;
}

async function api<T>(pathName: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const key = decodeURIComponent(studioUrl.split('#key=')[1]!);
  const response = await fetch(origin + pathName, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return (await response.json()) as T;
}

describeDocker('the studio drives runs (real Docker, real Chromium)', () => {
  describeBrowser('studio controls', () => {
    beforeAll(async () => {
      p = project({
        'runtools.config.ts': config(),
        'slow.json': scriptJson([
          ...Array.from({ length: 12 }, (_, i) => tick(i + 1)),
          { text: 'Done ticking.' },
        ]),
        'steps.json': scriptJson([
          { text: 'Looking first.', toolCalls: [{ name: 'bash', input: { command: 'echo step-one' } }] },
          { toolCalls: [{ name: 'bash', input: { command: 'echo step-two' } }] },
          { text: 'Both steps ran.' },
        ]),
        'uuid.json': scriptJson([
          { toolCalls: [{ name: 'bash', input: { command: 'cat /proc/sys/kernel/random/uuid' } }] },
          { text: 'Made an id.' },
        ]),
      });
      studio = await openStudio(p);
      ({ dev, origin, browser, watch } = studio);
      studioUrl = dev.studioUrl;
    });
    afterEach((ctx) => showFailure(ctx, watch, dev));
    afterAll(async () => {
      await studio?.close();
      p?.cleanup();
    });

    it('pause, resume, send input and cancel from the page change the run on the server', {
      timeout: 400_000,
    }, async () => {
      const { page } = watch;
      await page.goto(`${origin}/#/deployments/slow`);
      await page.getByRole('textbox', { name: 'Message' }).fill('tick along');
      await page.getByRole('button', { name: 'Start run' }).click();
      await page.getByRole('heading', { name: 'tick along' }).waitFor();
      const id = /#\/runs\/(run-[\w-]+)/.exec(page.url())![1]!;
      const timeline = page.getByRole('region', { name: 'Timeline' });
      await timeline.getByText('tick-1', { exact: true }).waitFor({ timeout: 300_000 });
      const controls = page.getByRole('region', { name: 'Run controls' });
      const status = async () => (await api<AgentRunData>(`/v1/runs/${id}`)).status;

      await controls.getByRole('button', { name: 'Pause' }).click();
      await controls.getByRole('button', { name: 'Resume' }).waitFor({ timeout: 120_000 });
      expect(await status()).toBe('paused');
      await watch.screenshot('run-paused');

      await controls.getByRole('button', { name: 'Resume' }).click();
      await controls.getByRole('button', { name: 'Pause' }).waitFor({ timeout: 120_000 });
      expect(await status()).toBe('running');

      await controls.getByRole('textbox', { name: 'Message to the agent' }).fill('please also say hello');
      await controls.getByRole('button', { name: 'Send input' }).click();
      await timeline.getByText('please also say hello').waitFor({ timeout: 120_000 });

      await controls.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(status, { timeout: 120_000 }).toBe('cancelled');
      await timeline.getByText('cancelled').last().waitFor({ timeout: 60_000 });
      await expect(controls.count()).resolves.toBe(0);
    });

    it('a run held before each tool call runs each one when the page says so', {
      timeout: 400_000,
    }, async () => {
      const { page } = watch;
      await page.goto(`${origin}/#/deployments/steps`);
      await page.getByRole('textbox', { name: 'Message' }).fill('two steps, one at a time');
      await page.getByRole('checkbox', { name: 'Pause before each tool' }).check();
      await page.getByRole('button', { name: 'Start run' }).click();
      const controls = page.getByRole('region', { name: 'Run controls' });
      const timeline = page.getByRole('region', { name: 'Timeline' });
      await controls.getByRole('button', { name: 'Run bash' }).waitFor({ timeout: 300_000 });
      await page.getByText('paused before bash; resume() runs it').first().waitFor();
      expect(await timeline.getByText('step-one', { exact: true }).count()).toBe(0);
      await watch.screenshot('run-held');
      await controls.getByRole('button', { name: 'Run bash' }).click();
      await timeline.getByText('step-one', { exact: true }).waitFor({ timeout: 120_000 });
      await controls.getByRole('button', { name: 'Run bash' }).click({ timeout: 120_000 });
      await timeline.getByText('Both steps ran.').first().waitFor({ timeout: 120_000 });
      await timeline.getByText('step-two', { exact: true }).waitFor();
    });

    it('compare marks the tool result that changed between two runs', { timeout: 400_000 }, async () => {
      const { page } = watch;
      const [a, b] = await Promise.all(
        ['first id', 'second id'].map((message) =>
          api<AgentRunData>('/v1/run/uuid', { method: 'POST', body: { message } }),
        ),
      );
      expect([a!.status, b!.status]).toEqual(['completed', 'completed']);
      await page.goto(`${origin}/#/compare/${a!.id}/${b!.id}`);
      await page.getByRole('heading', { name: 'Tool calls (1 of 1 differ)' }).waitFor();
      await page.getByText('result differs').waitFor();
      expect(await page.getByText('input differs').count()).toBe(0);
      await page.getByText(a!.toolCalls[0]!.output.trim()).waitFor();
      await page.getByText(b!.toolCalls[0]!.output.trim()).waitFor();
      await watch.screenshot('compare-differs');
    });

    it('the runs list filters by deployment, status and text', { timeout: 120_000 }, async () => {
      const { page } = watch;
      await page.goto(`${origin}/#/runs`);
      const rows = page.locator('tbody tr');
      await expect.poll(() => rows.count()).toBe(4);
      await page.getByLabel('Search').fill('ID');
      await expect.poll(() => rows.count()).toBe(2);
      await page.getByLabel('Search').fill('');
      await page.getByLabel('Status').selectOption('cancelled');
      await expect.poll(() => rows.count()).toBe(1);
      await page.getByRole('link', { name: 'tick along' }).waitFor();
      await page.getByLabel('Status').selectOption('');
      await page.getByLabel('Deployment').selectOption('steps');
      await expect.poll(() => rows.count()).toBe(1);
      await watch.screenshot('runs-filtered');
    });

    it('a wrong key in the link shows a clear message, and nothing else', async () => {
      const other = await openPage(browser, origin);
      await other.page.goto(`${origin}/#key=not-the-key`);
      await other.page.getByRole('heading', { name: 'This key is not accepted by this server' }).waitFor();
      await other.page
        .getByText('Open the studio: URL that runtools dev printed', { exact: false })
        .waitFor();
      expect(await other.page.getByRole('heading', { name: 'Runs' }).count()).toBe(0);
      await other.screenshot('wrong-key');
      // The refused request itself is the one error the browser logs.
      expect(other.consoleErrors.every((e) => /status of 401/.test(e))).toBe(true);
      expect(other.foreignRequests).toEqual([]);
      await other.page.context().close();
    });

    it('made no request to any address but the server, and logged no console error', () => {
      expect(watch.foreignRequests).toEqual([]);
      expect(watch.consoleErrors).toEqual([]);
    });
  });
});

import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { RuntimeVersion } from '../../src/api/types.js';
import { type Project, project, REPO } from '../cli/helpers.js';
import { describeDocker } from '../helpers/docker.js';
import {
  describeBrowser,
  type OpenStudio,
  openStudio,
  type PageWatch,
  recordedRows,
  recordRows,
  showFailure,
} from './browser.js';

// The "done when", step by step: the README's first command, the printed URL, the demo run
// watched live, compared with a rerun, the demo runtime's prompt edited and saved from the page.
let p: Project;
let studio: OpenStudio | undefined;
let dev: OpenStudio['dev'];
let watch: PageWatch;
let studioUrl: string;
let origin: string;

describeDocker('the studio on the demo project (real Docker, real Chromium)', () => {
  describeBrowser('studio', () => {
    beforeAll(async () => {
      p = project({});
      for (const rel of ['runtools.config.ts', 'prompts', 'scripts/demo'])
        cpSync(path.join(REPO, rel), path.join(p.dir, rel), { recursive: true });
      // The test opens the printed URL itself: that is the step it checks.
      studio = await openStudio(p, { showRuns: false });
      ({ dev, origin, watch } = studio);
      studioUrl = dev.studioUrl;
    });
    afterEach((ctx) => showFailure(ctx, watch, dev));
    afterAll(async () => {
      await studio?.close();
      p?.cleanup();
    });

    it('the printed URL opens the runs list, and a run started by a client appears in it without a reload', {
      timeout: 400_000,
    }, async () => {
      const { page } = watch;
      expect(studioUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#key=rt_local_/);
      await page.goto(studioUrl);
      await page.getByRole('heading', { name: 'Runs' }).waitFor();
      await page.getByText('No runs yet').waitFor();
      // The key left the address bar: it is kept in this tab's sessionStorage only.
      expect(page.url()).not.toContain('key=');

      // Started as the SDK (or \`runtools run\`) starts it: POST /v1/run/demo, streamed.
      const started = startStreamedRun('demo', 'Create a todo app');
      await page.getByRole('link', { name: 'Create a todo app' }).waitFor({ timeout: 600_000 });
      await watch.screenshot('runs');
      await page.getByRole('link', { name: 'Create a todo app' }).click();

      // Rows as they are added: sequence numbers and when, to prove they stream in order.
      await recordRows(page);
      const timeline = page.getByRole('region', { name: 'Timeline' });
      await timeline.getByText('all tests pass', { exact: false }).first().waitFor({ timeout: 600_000 });
      await page
        .getByRole('region', { name: 'Timeline' })
        .getByText('completed')
        .last()
        .waitFor({ timeout: 600_000 });
      expect(await started).toMatchObject({ status: 'completed' });

      const seen = await recordedRows(page);
      const seqs = seen.map((s) => s.seq);
      expect(seqs.length).toBeGreaterThan(5);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      // Live, not one late dump: the rows came over more than a second (the script takes several).
      expect(seen[seen.length - 1]!.at - seen[0]!.at).toBeGreaterThan(1_000);

      await expect.poll(() => timeline.getByText('edit_file', { exact: true }).count()).toBeGreaterThan(2);
      await timeline.getByText('created').first().waitFor();
      await page.getByRole('region', { name: /^Changes \(5\)$/ }).waitFor();
      await page.getByText('Turn 1:', { exact: false }).first().waitFor();
      await watch.screenshot('run');
    });

    it('rerun from the run page opens a comparison of the two runs', { timeout: 900_000 }, async () => {
      const { page } = watch;
      await page.getByRole('button', { name: 'Rerun' }).click();
      await page.getByRole('heading', { name: 'Compare' }).waitFor();
      await expect
        .poll(() => page.locator('thead').getByText('completed').count(), { timeout: 600_000 })
        .toBe(2);
      await page.getByRole('heading', { name: /Tool calls/ }).waitFor();
      await page.getByRole('heading', { name: /^Files/ }).waitFor();
      await watch.screenshot('compare');
    });

    it('the playground runs a draft prompt without a version, then saves it to prompts/demo.md and the server makes the version', {
      timeout: 400_000,
    }, async () => {
      const { page } = watch;
      await page.getByRole('link', { name: 'Runtimes' }).click();
      await page.getByRole('link', { name: 'demo', exact: true }).click();
      await page.getByRole('heading', { name: /Demo \(scripted model\)/ }).waitFor();
      const prompt = page.getByRole('textbox', { name: 'System prompt' });
      const original = await prompt.inputValue();
      const draft = `${original.trimEnd()}\nAlways say which file you changed and why.\n`;
      await prompt.fill(draft);
      await page.getByRole('textbox', { name: 'Message' }).fill('Create a todo app');
      await page.getByRole('button', { name: 'Run draft' }).click();
      const draftRun = page.getByLabel('Draft run');
      await draftRun.getByText('completed').first().waitFor({ timeout: 600_000 });
      await draftRun.getByRole('link', { name: 'Compare with the previous run' }).waitFor();
      // A draft makes no version.
      const before = (await (await fetchApi('/v1/runtimes/demo/versions')).json()) as {
        data: RuntimeVersion[];
      };
      expect(before.data.map((v) => v.version)).toEqual([1]);

      await page.getByRole('button', { name: 'Save to prompt file' }).click();
      await page.getByText('Saved to prompts/demo.md; the server made v2.').waitFor({ timeout: 20_000 });
      expect(readFileSync(path.join(p.dir, 'prompts/demo.md'), 'utf8')).toBe(draft);
      const after = (await (await fetchApi('/v1/runtimes/demo/versions')).json()) as {
        data: RuntimeVersion[];
      };
      expect(after.data.map((v) => [v.version, v.reason, v.systemPrompt])).toEqual([
        [1, expect.any(String), original],
        [2, 'config', draft],
      ]);
      await page
        .getByRole('region', { name: 'Prompt diff' })
        .getByText('Always say which file you changed and why.')
        .waitFor();
      await watch.screenshot('runtime');
    });

    it('the deployments page shows the settings and starts a run', async () => {
      const { page } = watch;
      await page.getByRole('link', { name: 'Deployments' }).click();
      await page.locator('a[href="#/deployments/demo"]').click();
      await page.getByText('POST ').first().waitFor();
      await watch.screenshot('deployment');
    });

    it('made no request to any address but the server, and logged no console error', () => {
      expect(watch.foreignRequests).toEqual([]);
      expect(watch.consoleErrors).toEqual([]);
    });
  });
});

/** Starts a run with stream: true and reads its stream to the end; resolves with the last status event. */
async function startStreamedRun(apiSlug: string, message: string): Promise<{ status: string }> {
  const key = decodeURIComponent(studioUrl.split('#key=')[1]!);
  const response = await fetch(`${origin}/v1/run/${apiSlug}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ message, stream: true }),
  });
  expect(response.status).toBe(200);
  const text = await response.text();
  const statuses = [...text.matchAll(/^data: (.*)$/gm)]
    .map((m) => JSON.parse(m[1]!) as { type: string; status?: string })
    .filter((e) => e.type === 'status');
  return { status: statuses[statuses.length - 1]?.status ?? 'none' };
}

function fetchApi(pathName: string): Promise<Response> {
  const key = decodeURIComponent(studioUrl.split('#key=')[1]!);
  return fetch(origin + pathName, { headers: { authorization: `Bearer ${key}` } });
}

import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { AgentRunData, GmailOutboxEntry } from '../../src/api/types.js';
import { type Project, project, scriptJson } from '../cli/helpers.js';
import { describeBrowser, type OpenStudio, openStudio, type PageWatch, showFailure } from './browser.js';

// Approval from the page (Run / Deny with a reason) and the gmail stand-in's outbox, against
// `runtools dev` with a scripted model. The gmail tools need no sandbox, so the local one serves.
let p: Project;
let studio: OpenStudio | undefined;
let dev: OpenStudio['dev'];
let watch: PageWatch;
let origin: string;
let key: string;

const SEND = {
  name: 'gmail__send_email',
  input: { to: 'ops@acme.example', subject: 'Re: Disk full on db-1', body: 'Freed 20 GB; it is fine now.' },
};

async function api<T>(pathName: string): Promise<T> {
  const response = await fetch(origin + pathName, { headers: { authorization: `Bearer ${key}` } });
  return (await response.json()) as T;
}

describeBrowser('studio: approval and the gmail outbox', () => {
  beforeAll(async () => {
    p = project({
      'runtools.config.ts': `export default {
  sandbox: 'local',
  runtimes: [{ slug: 'mailer', model: { provider: 'scripted', script: './mail.json' }, tools: ['gmail'] }],
  deployments: [{ apiSlug: 'mailer', runtimeSlug: 'mailer', templateSlug: 'base', approve: ['gmail__send_email'] }],
};
`,
      'mail.json': scriptJson([{ toolCalls: [SEND] }, { text: 'Handled the mail.' }]),
    });
    studio = await openStudio(p);
    ({ dev, origin, key, watch } = studio);
  });
  afterEach((ctx) => showFailure(ctx, watch, dev));
  afterAll(async () => {
    await studio?.close();
    p?.cleanup();
  });

  /** Starts a mailer run from its deployment page; resolves with its id once it waits for approval. */
  async function startHeldRun(message: string): Promise<string> {
    const { page } = watch;
    await page.goto(`${origin}/#/deployments/mailer`);
    await page.getByRole('textbox', { name: 'Message' }).fill(message);
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.getByRole('heading', { name: message }).waitFor();
    const controls = page.getByRole('region', { name: 'Run controls' });
    await controls.getByRole('button', { name: 'Deny gmail__send_email' }).waitFor({ timeout: 120_000 });
    return /#\/runs\/(run-[\w-]+)/.exec(page.url())![1]!;
  }

  it('Deny with a reason skips the held send: the model reads why, nothing reaches the outbox', {
    timeout: 300_000,
  }, async () => {
    const { page } = watch;
    const id = await startHeldRun('answer ops, then wait');
    const controls = page.getByRole('region', { name: 'Run controls' });
    await expect(controls.getByRole('button', { name: 'Run gmail__send_email' }).count()).resolves.toBe(1);
    await page.getByText('waiting for approval of gmail__send_email').first().waitFor();
    // The held call's row says it waits, not that it runs.
    const held = page.getByRole('region', { name: 'Timeline' }).locator('.step-tool').last();
    await held.getByText('waiting for approval').waitFor();
    await expect(held.getByText('running…').count()).resolves.toBe(0);
    await controls.getByRole('textbox', { name: 'Reason for denying' }).fill('not during the change freeze');
    await watch.screenshot('run-awaiting-approval');
    await controls.getByRole('button', { name: 'Deny gmail__send_email' }).click();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline
      .getByText(/not during the change freeze/)
      .first()
      .waitFor({ timeout: 120_000 });
    await expect
      .poll(async () => (await api<AgentRunData>(`/v1/runs/${id}`)).status, { timeout: 120_000 })
      .toBe('completed');
    const run = await api<AgentRunData>(`/v1/runs/${id}`);
    expect(run.toolCalls[0]).toMatchObject({
      tool: 'gmail__send_email',
      isError: true,
      output: expect.stringMatching(
        /a person denied this call, so it did not run: not during the change freeze/,
      ),
    });
    expect((await api<{ data: GmailOutboxEntry[] }>('/v1/integrations/gmail/outbox')).data).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
  });

  it('Run sends it; the Integrations page shows the outbox with the mail and its run', {
    timeout: 300_000,
  }, async () => {
    const { page } = watch;
    const id = await startHeldRun('answer ops now');
    const controls = page.getByRole('region', { name: 'Run controls' });
    await controls.getByRole('button', { name: 'Run gmail__send_email' }).click();
    await expect
      .poll(async () => (await api<AgentRunData>(`/v1/runs/${id}`)).status, { timeout: 120_000 })
      .toBe('completed');

    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('heading', { name: 'Integrations' }).waitFor();
    const outbox = page.getByRole('region', { name: 'Gmail outbox' });
    const row = outbox.getByRole('row').filter({ hasText: 'Re: Disk full on db-1' });
    await row.waitFor({ timeout: 60_000 });
    await expect(row.getByRole('cell', { name: 'ops@acme.example' }).count()).resolves.toBe(1);
    await expect(row.getByText('Freed 20 GB; it is fine now.').count()).resolves.toBe(1);
    await expect(page.getByText('stand-in', { exact: true }).count()).resolves.toBe(1);
    await watch.screenshot('integrations-outbox');
    await row.getByRole('link', { name: id }).click();
    await page.getByRole('heading', { name: 'answer ops now' }).waitFor();
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });
});

import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { describe, it, type TestContext } from 'vitest';
import { type Project, REPO, type Running } from '../cli/helpers.js';

/** Debian's headless Chromium (npm run setup installs it); playwright-core downloads no browser. */
export const CHROMIUM = process.env.RUNTOOLS_CHROMIUM ?? '/usr/bin/chromium-headless-shell';
const chromiumProblem = existsSync(CHROMIUM)
  ? null
  : `no Chromium at ${CHROMIUM}; run "npm run setup" (installs chromium-headless-shell) or set RUNTOOLS_CHROMIUM`;

/** A describe block that needs Chromium: skipped with the reason without it, failed under CI=true. */
export function describeBrowser(name: string, fn: () => void): void {
  if (!chromiumProblem) describe(name, fn);
  else if (process.env.CI === 'true' || process.env.RUNTOOLS_REQUIRE_DOCKER === '1')
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(chromiumProblem);
      });
    });
  else describe.skip(`${name} [skipped: ${chromiumProblem}]`, fn);
}

export const ARTIFACTS = path.join(REPO, 'test-artifacts', 'studio');

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/** What a page did that a person would not want: errors in the console, requests leaving the server. */
export interface PageWatch {
  page: Page;
  consoleErrors: string[];
  /** Requests Chromium aborted because a network interface changed (not counted as errors). */
  networkChanges: string[];
  /** Requests to any origin but the studio's own (data: and blob: URLs are the page's own too). */
  foreignRequests: string[];
  screenshot(name: string): Promise<string>;
}

export async function openPage(browser: Browser, origin: string): Promise<PageWatch> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  const networkChanges: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // The browser's "Failed to load resource" names no URL: say which request it was.
    const where = message.location().url;
    // Chromium aborts requests in flight with ERR_NETWORK_CHANGED when a network interface comes
    // or goes, which Docker does for every container it starts: the machine's doing, not the
    // page's. The studio tries such a GET again; the tests' checks of what the page shows stand.
    if (message.text().includes('net::ERR_NETWORK_CHANGED')) return void networkChanges.push(where);
    const body = where ? answers.get(where) : undefined;
    consoleErrors.push(where ? `${message.text()} (${where})${body ? `: ${body}` : ''}` : message.text());
  });
  // The API's answer to a failed request says why (a 404's message names what was missing): put it
  // beside the browser's bare "Failed to load resource", whichever of the two comes first.
  const answers = new Map<string, string>();
  page.on('response', async (response) => {
    if (response.status() < 400) return;
    const body = (await response.text().catch(() => '')).slice(0, 400);
    answers.set(response.url(), body);
    const logged = consoleErrors.findIndex((e) => e.endsWith(`(${response.url()})`));
    if (logged >= 0) consoleErrors[logged] += `: ${body}`;
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin) foreignRequests.push(url);
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    page,
    consoleErrors,
    networkChanges,
    foreignRequests,
    async screenshot(name) {
      const file = path.join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
  };
}

/** The studio URL `runtools dev` printed (with the key in the fragment). */
export function studioUrlFrom(stdout: string): string {
  const match = /studio:\s+(http:\/\/\S+#key=\S+)/.exec(stdout);
  if (!match) throw new Error(`runtools dev printed no studio URL:\n${stdout}`);
  return match[1]!;
}

/** A timeline row as the page added it: its sequence number and when (page clock, ms). */
export interface SeenRow {
  seq: number;
  at: number;
}

// Runs in the page (a string: the tests are type-checked without DOM types). Records every
// timeline row added to the document with the sequence number of the event that began it.
const RECORD_ROWS = `(() => {
  const seen = [];
  window.__seenRows = seen;
  const note = (el) => seen.push({ seq: Number(el.dataset.seq), at: performance.now() });
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof HTMLElement)) continue;
        if (node.matches('[data-seq]')) note(node);
        for (const row of node.querySelectorAll('[data-seq]')) note(row);
      }
    }
  }).observe(document.body, { childList: true, subtree: true });
})()`;

export async function recordRows(page: Page): Promise<void> {
  await page.evaluate(RECORD_ROWS);
}

export async function recordedRows(page: Page): Promise<SeenRow[]> {
  return (await page.evaluate('window.__seenRows')) as SeenRow[];
}

/**
 * `runtools dev` on a free port, as a person starts it; waits longer than the CLI tests do, since the
 * studio suites start it beside a browser on a busy machine.
 */
async function startStudio(
  p: Project,
): Promise<{ dev: Running; url: string; studioUrl: string; stop(): Promise<unknown> }> {
  const dev = p.spawn(['dev', '--port', '0']);
  let url: string;
  try {
    [, url] = (await dev.waitFor(/listening on (http:\/\/\S+)/, { timeoutMs: 180_000 })) as [string, string];
    await dev.waitFor(/watching the config|no runtools\.config\.ts/, { timeoutMs: 60_000 });
  } catch (error) {
    // Not left running behind a failed start (its data dir is about to be removed).
    dev.proc.kill('SIGKILL');
    await dev.exited;
    throw error;
  }
  return {
    dev,
    url,
    studioUrl: studioUrlFrom(dev.stdout()),
    async stop() {
      dev.proc.kill('SIGINT');
      return dev.exited;
    },
  };
}

/** A studio as a person opens it: `runtools dev`, then Chromium with a page watched on its origin. */
export interface OpenStudio {
  dev: Awaited<ReturnType<typeof startStudio>>;
  origin: string;
  /** The API key the studio URL carries in its fragment. */
  key: string;
  browser: Browser;
  watch: PageWatch;
  /** Closes the browser, then stops dev. */
  close(): Promise<void>;
}

/**
 * Starts dev for `p` and a browser page on it; with `showRuns` (the default) the page opens the
 * studio URL and waits for the Runs view. Nothing is left running if a step fails.
 */
export async function openStudio(p: Project, { showRuns = true } = {}): Promise<OpenStudio> {
  const dev = await startStudio(p);
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await dev.stop();
  };
  try {
    const origin = new URL(dev.studioUrl).origin;
    browser = await launch();
    const watch = await openPage(browser, origin);
    if (showRuns) {
      await watch.page.goto(dev.studioUrl);
      await watch.page.getByRole('heading', { name: 'Runs' }).waitFor();
    }
    const key = decodeURIComponent(dev.studioUrl.split('#key=')[1]!);
    return { dev, origin, key, browser, watch, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** After a failed test: the page as it was (a screenshot) and what runtools dev printed, to see why. */
export async function showFailure(
  ctx: TestContext,
  watch: PageWatch | undefined,
  dev: { dev: Running } | undefined,
): Promise<void> {
  if (ctx.task.result?.state !== 'fail') return;
  await watch?.screenshot(`failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  console.log(`runtools dev said:\n${dev?.dev.stdout()}\n${dev?.dev.stderr()}`);
}

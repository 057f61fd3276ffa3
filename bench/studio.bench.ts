/**
 * Studio benchmarks (issue 10), in a real Chromium against a real server: the runs page with
 * 10,000 runs (first paint, filter), a 5,000-event run rendered, and the delay from an event
 * appended on the server to its row in the page. Goals: < 500 ms, < 1 s, < 100 ms.
 * Needs `npm run build` (the studio in dist/studio) and chromium-headless-shell (`npm run setup`).
 */
import type { Page } from 'playwright-core';
import type { AgentRunEvent, EventPayload, RunUsage } from '../src/api/types.js';
import { createLocalEngine } from '../src/engine/create.js';
import type { Engine } from '../src/engine/engine.js';
import { type RunningServer, startServer } from '../src/server/server.js';
import { defaultStudioDir } from '../src/server/static.js';
import { deploy } from '../test/helpers/runs.js';
import { tempDir } from '../test/helpers/tmp.js';
import { startHarness } from '../test/helpers/transports.js';
import { launch } from '../test/studio/browser.js';
import { median, printTable, quantile, type Row } from './lib.js';

const KEY = 'bench-key';
const RUNS = 10_000;
const EVENTS = 5_000;
const REPEAT = 5;

export async function main(): Promise<void> {
  if (!defaultStudioDir()) throw new Error('no dist/studio: run "npm run build" first');
  const rows: Row[] = [];
  const data = tempDir('runtools-bench-');
  const engine = await createLocalEngine({ dataDir: data.dir, projectDir: data.dir });
  const server = await startServer({ api: engine, key: KEY, port: 0, log: () => undefined });
  const browser = await launch();
  try {
    const bigRun = seed(engine);
    const page = async () => (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    rows.push(...(await runsPage(server, page)));
    rows.push(...(await bigTimeline(server, page, bigRun)));
  } finally {
    await server.close();
    await engine.close();
    data.cleanup();
  }
  try {
    rows.push(...(await liveDelay(await (await browser.newContext()).newPage())));
  } finally {
    await browser.close();
  }
  printTable('studio (Chromium headless shell, real server; goals: 500 ms, 1 s, 100 ms)', rows);
}

const usage = (i: number): RunUsage => ({
  inputTokens: 1200 + i,
  outputTokens: 300 + (i % 50),
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  costUsd: 0.0042,
});

/** 10,000 finished runs of three deployments, and one run with 5,000 events; returns its id. */
function seed(engine: Engine): string {
  const { runs, events } = engine.store;
  const topics = ['the login form', 'billing export', 'search ranking', 'a flaky test', 'the README'];
  const statuses = ['completed', 'completed', 'completed', 'failed', 'cancelled'] as const;
  const started = Date.now() - RUNS * 60_000;
  const insertAll = engine.store.db.transaction(() => {
    for (let i = 0; i < RUNS; i++) {
      const id = `run-bench${String(i).padStart(6, '0')}`;
      const at = new Date(started + i * 60_000).toISOString();
      runs.insert({
        id,
        deployment: ['web', 'api', 'docs'][i % 3]!,
        runtimeSlug: 'bench',
        runtimeVersion: 1,
        status: statuses[i % statuses.length]!,
        input: {
          message: `Fix ${topics[i % topics.length]} (ticket ${i})`,
          mounts: [],
          context: { files: [], history: [] },
        },
        usage: usage(i),
        createdAt: at,
      });
      runs.update(id, {
        output: `Done with ticket ${i}.`,
        turns: 3 + (i % 7),
        startedAt: at,
        endedAt: new Date(started + i * 60_000 + 12_000).toISOString(),
      });
    }
  });
  insertAll();
  const id = 'run-bench999999';
  runs.insert({
    id,
    deployment: 'web',
    runtimeSlug: 'bench',
    runtimeVersion: 1,
    status: 'completed',
    input: { message: 'A long run', mounts: [], context: { files: [], history: [] } },
    usage: usage(0),
    createdAt: new Date().toISOString(),
  });
  const payloads: EventPayload[] = [];
  for (let i = 0; payloads.length < EVENTS - 1; i++) {
    const callId = `call_${i}`;
    payloads.push(
      { type: 'text', content: `Step ${i}: looking at src/file${i}.ts and deciding what to change next.` },
      { type: 'tool_call', tool: 'bash', input: { command: `grep -n TODO src/file${i}.ts` }, callId },
      {
        type: 'tool_result',
        tool: 'bash',
        output: `12: // TODO ${i}\n40: // TODO later`,
        callId,
        isError: false,
      },
      { type: 'usage', usage: usage(i), turns: i + 1 },
    );
    if (i % 5 === 0)
      payloads.push({
        type: 'file_edit',
        path: `/workspace/src/file${i}.ts`,
        change: 'modified',
        diff: `--- a/src/file${i}.ts\n+++ b/src/file${i}.ts\n@@ -12 +12 @@\n-// TODO ${i}\n+// done ${i}\n`,
      });
  }
  payloads.length = EVENTS - 1;
  payloads.push({ type: 'status', status: 'completed' });
  const at = new Date().toISOString();
  events.appendMany(
    payloads.map((p, i) => ({ ...p, runId: id, seq: i + 1, timestamp: at }) as AgentRunEvent),
  );
  runs.update(id, { status: 'completed', turns: 1250, endedAt: at, startedAt: at });
  return id;
}

// Page-side helpers (strings: bench code is type-checked without DOM types).
const WAIT_ROWS = (selector: string, test: string) => `new Promise((resolve) => {
  const ok = () => { const rows = [...document.querySelectorAll(${JSON.stringify(selector)})]; return rows.length > 0 && (${test})(rows); };
  if (ok()) return resolve(performance.now());
  new MutationObserver((_, observer) => { if (ok()) { observer.disconnect(); resolve(performance.now()); } })
    .observe(document.body, { childList: true, subtree: true, characterData: true });
})`;

async function runsPage(server: RunningServer, newPage: () => Promise<Page>): Promise<Row[]> {
  const paint: number[] = [];
  const statusFilter: number[] = [];
  const textFilter: number[] = [];
  for (let i = 0; i <= REPEAT; i++) {
    const page = await newPage();
    await page.goto(`${server.url}/#key=${KEY}`);
    // From navigation start to the first page of runs in the table.
    const painted = (await page.evaluate(WAIT_ROWS('tbody tr', '(rows) => rows.length >= 50'))) as number;
    const select = (await page.evaluate(`(() => {
      const t = performance.now();
      const el = [...document.querySelectorAll('label')].find((l) => l.textContent.startsWith('Status')).querySelector('select');
      el.value = 'cancelled'; el.dispatchEvent(new Event('change', { bubbles: true }));
      return ${WAIT_ROWS('tbody tr', "(rows) => rows.every((r) => r.textContent.includes('cancelled'))")}.then((end) => end - t);
    })()`)) as number;
    const text = (await page.evaluate(`(() => {
      const t = performance.now();
      const el = document.querySelector('input[type=search]');
      el.value = 'ticket 4244'; el.dispatchEvent(new Event('input', { bubbles: true }));
      return ${WAIT_ROWS('tbody tr', "(rows) => rows.length === 1 && rows[0].textContent.includes('ticket 4244')")}.then((end) => end - t);
    })()`)) as number;
    await page.context().close();
    if (i === 0) continue; // warm-up: first start of the browser and the server's statements
    paint.push(painted);
    statusFilter.push(select);
    textFilter.push(text);
  }
  return [
    {
      name: `runs page first paint, ${RUNS} runs in the store (n=${REPEAT})`,
      median: median(paint),
      p90: quantile(paint, 0.9),
      unit: 'ms',
    },
    {
      name: 'filter by status (select -> rows)',
      median: median(statusFilter),
      p90: quantile(statusFilter, 0.9),
      unit: 'ms',
    },
    {
      name: 'filter by text (typed -> rows, incl. 200 ms debounce)',
      median: median(textFilter),
      p90: quantile(textFilter, 0.9),
      unit: 'ms',
    },
  ];
}

async function bigTimeline(server: RunningServer, newPage: () => Promise<Page>, id: string): Promise<Row[]> {
  const times: number[] = [];
  let inDom = 0;
  let scrolled = 0;
  for (let i = 0; i <= REPEAT; i++) {
    const page = await newPage();
    await page.goto(`${server.url}/#key=${KEY}`);
    await page.evaluate(WAIT_ROWS('tbody tr', '() => true'));
    const ms = (await page.evaluate(`(() => {
      const t = performance.now();
      location.hash = '#/runs/${id}';
      return ${WAIT_ROWS('[data-seq]', `(rows) => rows.some((r) => r.dataset.lastSeq === '${EVENTS}')`)}.then((end) => end - t);
    })()`)) as number;
    inDom = (await page.evaluate(`document.querySelectorAll('[data-seq]').length`)) as number;
    // Jump to the top of the timeline: rows there must render too.
    scrolled = (await page.evaluate(`(() => {
      const t = performance.now();
      const list = document.querySelector('.vlist'); list.scrollTop = 0; list.dispatchEvent(new Event('scroll'));
      return ${WAIT_ROWS('[data-seq]', "(rows) => rows.some((r) => r.dataset.seq === '1')")}.then((end) => end - t);
    })()`)) as number;
    await page.context().close();
    if (i > 0) times.push(ms);
  }
  return [
    {
      name: `${EVENTS}-event run: open -> last row shown (n=${REPEAT})`,
      median: median(times),
      p90: quantile(times, 0.9),
      unit: 'ms',
    },
    { name: `  rows in the DOM (of ${EVENTS} events, virtualized)`, median: inDom, unit: 'rows' },
    { name: '  jump to the top -> first row shown', median: scrolled, unit: 'ms' },
  ];
}

/** A live run on the local sandbox: each event's server timestamp against when its row appeared. */
async function liveDelay(page: Page): Promise<Row[]> {
  const h = await startHarness('http');
  try {
    const turns = [
      ...Array.from({ length: 40 }, (_, i) => ({
        text: `Turn ${i}.`,
        toolCalls: [{ name: 'bash', input: { command: `echo ${i}` } }],
        delayMs: 150,
      })),
      { text: 'done' },
    ];
    await deploy(h, 'live', turns, { tools: ['bash'], maxTurns: 100 });
    const server = await startServer({ api: h.engine, key: KEY, port: 0, log: () => undefined });
    try {
      await page.goto(`${server.url}/#key=${KEY}`);
      await page.evaluate(WAIT_ROWS('h1', '() => true'));
      const { runId } = await h.api.runs.stream('live', { message: 'tick' });
      await page.evaluate(`(() => {
        window.__seen = {};
        new MutationObserver(() => {
          for (const row of document.querySelectorAll('[data-seq]')) {
            const seq = row.dataset.seq;
            if (!(seq in window.__seen)) window.__seen[seq] = performance.timeOrigin + performance.now();
          }
        }).observe(document.body, { childList: true, subtree: true });
        location.hash = '#/runs/${runId}';
      })()`);
      await page.getByText('done', { exact: true }).first().waitFor({ timeout: 120_000 });
      const seen = (await page.evaluate('window.__seen')) as Record<string, number>;
      const events = (await h.api.runs.get(runId)).events;
      // Rows that were on the server before the page subscribed are not live deliveries.
      const firstSeen = Math.min(...Object.values(seen));
      const delays = events
        .filter((e) => seen[e.seq] !== undefined && Date.parse(e.timestamp) > firstSeen)
        .map((e) => seen[e.seq]! - Date.parse(e.timestamp));
      return [
        {
          name: `event appended -> its row in the page (n=${delays.length} rows)`,
          median: median(delays),
          p90: quantile(delays, 0.95),
          unit: 'ms (p90 col = p95)',
        },
      ];
    } finally {
      await server.close();
    }
  } finally {
    await h.close();
  }
}

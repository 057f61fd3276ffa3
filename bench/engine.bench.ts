/**
 * Run engine benchmarks (issue 5): per-step overhead, runs/s at several concurrencies, event
 * persistence throughput, and SSE delivery delay. Scripted model with no delay, local sandbox.
 */
import type { EventPayload } from '../src/api/types.js';
import { RunEventLog } from '../src/engine/event-log.js';
import { parseSse } from '../src/sdk/sse-client.js';
import { openStore } from '../src/store/store.js';
import { deploy } from '../test/helpers/runs.js';
import { tempDir } from '../test/helpers/tmp.js';
import { startHarness } from '../test/helpers/transports.js';
import { median, printTable, type Row } from './lib.js';

const STEPS_PER_RUN = 20;

export async function main(): Promise<void> {
  const rows: Row[] = [];
  rows.push(...(await overheadPerStep()));
  rows.push(...(await runsPerSecond()));
  rows.push(...eventThroughput());
  rows.push(...(await sseDelay()));
  printTable('engine (scripted model, local sandbox)', rows);
}

/** A run of STEPS_PER_RUN turns, each one read_file call: wall time minus model and tool time, per step. */
async function overheadPerStep(): Promise<Row[]> {
  const h = await startHarness('in-process');
  try {
    const turns = [
      ...Array.from({ length: STEPS_PER_RUN }, () => ({
        toolCalls: [{ name: 'read_file', input: { path: 'a.txt' } }],
      })),
      { text: 'done' },
    ];
    await deploy(h, 'steps', turns, { tools: ['read_file', 'bash'], maxTurns: 1000, maxConcurrent: 1 });
    const perStep: number[] = [];
    const perRun: number[] = [];
    for (let i = 0; i < 30; i++) {
      const run = await h.rt.agents.run('steps', {
        message: 'go',
        mounts: [{ workspaceId: 'bench', path: '/workspace' }],
      });
      if (run.status !== 'completed') throw new Error(`bench run ${run.status}: ${run.error}`);
      const t = h.engine.runService.timings.get(run.id)!;
      perStep.push((t.wallMs - t.modelMs - t.toolMs) / t.steps);
      perRun.push(t.wallMs);
    }
    return [
      {
        name: `overhead per step (run of ${STEPS_PER_RUN * 2 + 1} steps, excl. model+tool)`,
        median: median(perStep),
        unit: 'ms',
      },
      { name: 'whole run wall time (same run)', median: median(perRun), unit: 'ms' },
    ];
  } finally {
    await h.close();
  }
}

async function runsPerSecond(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const maxConcurrent of [1, 10, 50]) {
    const h = await startHarness('in-process');
    try {
      await deploy(h, 'one', [{ text: 'done' }], { tools: [], maxConcurrent });
      const count = 300;
      const started = performance.now();
      const runs = await Promise.all(
        Array.from({ length: count }, () => h.rt.agents.run('one', { message: 'go' })),
      );
      const seconds = (performance.now() - started) / 1000;
      if (runs.some((r) => r.status !== 'completed')) throw new Error('a bench run did not complete');
      rows.push({
        name: `runs/s, one deployment, maxConcurrent ${maxConcurrent} (${count} runs)`,
        median: count / seconds,
        unit: 'runs/s',
      });
    } finally {
      await h.close();
    }
  }
  return rows;
}

/** Appends through the event log (batched per tick) vs one INSERT per event. */
function eventThroughput(): Row[] {
  const { dir, cleanup } = tempDir();
  try {
    const store = openStore(dir);
    const log = new RunEventLog(store.events);
    const payload: EventPayload = { type: 'text', content: 'a short text delta, as models stream them' };
    const n = 100_000;
    let started = performance.now();
    for (let i = 0; i < n; i++) {
      log.append(`run-${i % 10}`, payload);
      if (i % 1000 === 999) log.flush();
    }
    log.flush();
    const batched = n / ((performance.now() - started) / 1000);
    const m = 20_000;
    started = performance.now();
    for (let i = 0; i < m; i++) {
      store.events.append({
        runId: 'single',
        seq: i + 1,
        timestamp: new Date().toISOString(),
        ...payload,
      } as never);
    }
    const single = m / ((performance.now() - started) / 1000);
    store.close();
    return [
      { name: 'events persisted/s, batched per tick', median: batched, unit: 'events/s' },
      { name: 'events persisted/s, one commit each (the obvious way)', median: single, unit: 'events/s' },
      { name: 'ratio batched / one commit each', median: batched / single, unit: 'x' },
    ];
  } finally {
    cleanup();
  }
}

/** From `append` to an SSE client parsing the event, over a real socket. */
async function sseDelay(): Promise<Row[]> {
  const h = await startHarness('http');
  try {
    await deploy(h, 'wait', [{ delayMs: 600_000, text: 'never' }], { tools: [] });
    const { runId } = await h.api.runs.stream('wait', { message: 'hold' });
    // Aborted once read: an SSE response left open keeps its socket (and the bench) alive.
    const reading = new AbortController();
    const response = await fetch(`${h.server!.url}/v1/runs/${runId}/events?after=0`, {
      headers: { authorization: 'Bearer test-key' },
      signal: reading.signal,
    });
    const delays: number[] = [];
    const sent = new Map<string, number>();
    const reader = (async () => {
      for await (const event of parseSse(response.body!)) {
        if (event.type !== 'text') continue;
        delays.push(performance.now() - sent.get(event.content)!);
        if (delays.length === 500) return;
      }
    })();
    const log = h.engine.runService.events;
    for (let i = 0; i < 500; i++) {
      const content = `delta-${i}`;
      sent.set(content, performance.now());
      log.append(runId, { type: 'text', content });
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await reader;
    reading.abort();
    await h.api.runs.cancel(runId);
    return [
      {
        name: 'SSE delivery delay, append -> client parsed (500 events)',
        median: median(delays),
        unit: 'ms',
      },
    ];
  } finally {
    await h.close();
  }
}

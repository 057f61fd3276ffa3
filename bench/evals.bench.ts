/**
 * Eval overhead (issue 11): a 50-trial eval on a scripted model against the same 50 runs started
 * by hand through the SDK (all started one after another, then awaited), on the local sandbox.
 * Goal: the eval adds under 5% wall time and keeps the deployment's queue full.
 */
import type { AgentRunData } from '../src/api/types.js';
import { deploy } from '../test/helpers/runs.js';
import { type Harness, startHarness } from '../test/helpers/transports.js';
import { median, printTable, type Row } from './lib.js';

const TRIALS = 50;
const CASES = 5;
const MAX_CONCURRENT = 10;
/** Rounds alternate by hand and eval, so load from the rest of the machine falls on both alike. */
const ROUNDS = 5;
/** Each run: two model turns of 40 ms and one bash call, so queueing, not the model, dominates. */
const TURNS = [
  { delayMs: 40, toolCalls: [{ name: 'bash', input: { command: 'echo done > out.txt' } }] },
  { delayMs: 40, text: 'done: out.txt' },
];

export async function main(): Promise<void> {
  const h = await startHarness('in-process');
  try {
    await deploy(h, 'bench', TURNS, { maxConcurrent: MAX_CONCURRENT, tools: ['bash'] });
    await byHand(h); // warm-up
    const hand: number[] = [];
    const evals: number[] = [];
    /** Eval over by hand within one round: the overhead with the machine's load of that moment. */
    const ratios: number[] = [];
    const evalsInContainer: number[] = [];
    const peaks: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      hand.push(await byHand(h));
      const measured = await asEval(h, false);
      evals.push(measured.ms);
      ratios.push(measured.ms / hand.at(-1)!);
      peaks.push(measured.peak);
      evalsInContainer.push((await asEval(h, true)).ms);
    }
    const handMs = median(hand);
    const evalMs = median(evals);
    const rows: Row[] = [
      { name: `${TRIALS} runs started by hand through the SDK, then awaited`, median: handMs, unit: 'ms' },
      { name: `eval of ${TRIALS} trials (output and turn checks)`, median: evalMs, unit: 'ms' },
      {
        name: 'eval overhead against by hand (medians)',
        median: ((evalMs - handMs) / handMs) * 100,
        unit: '%',
      },
      {
        name: 'eval overhead against by hand (median of per-round ratios)',
        median: (median(ratios) - 1) * 100,
        unit: '%',
      },
      {
        name: `eval of ${TRIALS} trials with a file_contains check in the sandbox`,
        median: median(evalsInContainer),
        unit: 'ms',
      },
      {
        name: `eval: most runs in flight at once (maxConcurrent ${MAX_CONCURRENT})`,
        median: median(peaks),
        unit: 'runs',
      },
    ];
    printTable(`evals (scripted model, local sandbox, ${ROUNDS} rounds)`, rows);
  } finally {
    await h.close();
  }
}

async function byHand(h: Harness): Promise<number> {
  const started = performance.now();
  const handles = [];
  for (let i = 0; i < TRIALS; i++)
    handles.push(await h.rt.agents.run('bench', { message: `task ${i % CASES}`, stream: true }));
  const runs = await Promise.all(handles.map((handle) => handle.result()));
  const ms = performance.now() - started;
  if (runs.some((r) => r.status !== 'completed')) throw new Error('a bench run did not complete');
  return ms;
}

async function asEval(h: Harness, inContainer: boolean): Promise<{ ms: number; peak: number }> {
  const started = performance.now();
  const detail = await h.rt.evals.run(
    {
      suite: {
        name: 'bench',
        deployment: 'bench',
        cases: Array.from({ length: CASES }, (_, i) => ({
          name: `case ${i}`,
          message: `task ${i}`,
          checks: [
            { type: 'output_contains' as const, value: 'done' },
            { type: 'max_turns' as const, value: 5 },
            ...(inContainer
              ? [{ type: 'file_contains' as const, path: '/workspace/out.txt', value: 'done' }]
              : []),
          ],
        })),
      },
      repeat: TRIALS / CASES,
    },
    {},
  );
  const ms = performance.now() - started;
  if (detail.report.variants[0]?.passRate !== 1)
    throw new Error(`bench eval did not pass: ${JSON.stringify(detail.results[0])}`);
  const runs = await Promise.all(detail.results.map((r) => h.rt.runs.get(r.runId!)));
  return { ms, peak: peakInFlight(runs) };
}

/** The most runs whose [startedAt, endedAt] overlap: how full the queue was kept. */
function peakInFlight(runs: AgentRunData[]): number {
  const edges = runs.flatMap((r) => [
    { at: Date.parse(r.startedAt!), step: 1 },
    { at: Date.parse(r.endedAt!), step: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let open = 0;
  let peak = 0;
  for (const edge of edges) {
    open += edge.step;
    peak = Math.max(peak, open);
  }
  return peak;
}

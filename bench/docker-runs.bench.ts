/**
 * Runs in Docker against the same runs on the local sandbox (issue 13), scripted model answering at
 * once, interleaved trials: the overhead per tool step, run start (call -> first tool_result), run
 * end (last tool result -> terminal event, the scripted last turn being instant), and 20
 * concurrent runs of 20 turns.
 */
import Docker from 'dockerode';
import type { AgentRunEvent } from '../src/api/types.js';
import { deploy } from '../test/helpers/runs.js';
import { type Harness, startHarness } from '../test/helpers/transports.js';
import { type Comparison, interleaved, median, printComparisons } from './lib.js';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 5);
const SANDBOXES = ['docker', 'local'] as const;
type Kind = (typeof SANDBOXES)[number];

const steps = (n: number) => [
  ...Array.from({ length: n }, (_, i) => ({
    toolCalls: [
      // Step 0 reads before step 1 writes (a not-found result, still a file server round trip).
      i % 2 === 0
        ? { name: 'read_file', input: { path: 'a.txt' } }
        : { name: 'bash', input: { command: i === 1 ? 'echo hello > a.txt' : `echo step ${i}` } },
    ],
  })),
  { text: 'done' },
];

/** Wall minus model and tool time of a run, its step count, and when its events arrived. */
async function timedRun(h: Harness, slug: string) {
  // `runtools dev` keeps a warm container per kind of run: a run started after the one before has had
  // time to be replaced finds it (the cold start is measured on its own below).
  if (slug.endsWith('-docker')) await warmReady(h);
  const started = performance.now();
  // Each run on its own fresh managed /workspace, as runs are by default.
  const run = await h.rt.agents.run(slug, { message: 'go', stream: true });
  const seen: { event: AgentRunEvent; at: number }[] = [];
  for await (const event of run) seen.push({ event, at: performance.now() });
  const last = seen.at(-1)?.event;
  if (last?.type !== 'status' || last.status !== 'completed')
    throw new Error(`bench run ${slug} ended ${JSON.stringify(last)}`);
  const t = h.engine.runService.timings.get(run.id)!;
  const firstResult = seen.find((s) => s.event.type === 'tool_result')!.at;
  // The last tool result is followed by the scripted model's last turn (answered at once); usage
  // events are held up to a second, so they no longer mark when a turn ended.
  const lastTurn = seen.findLast((s) => s.event.type === 'tool_result')!.at;
  return {
    overhead: t.wallMs - t.modelMs - t.toolMs,
    steps: t.steps,
    start: firstResult - started,
    end: seen.at(-1)!.at - lastTurn,
  };
}

export async function main(): Promise<void> {
  try {
    await new Docker().ping();
  } catch {
    process.stdout.write('\ndocker runs: Docker does not answer; skipped\n');
    return;
  }
  const h = await startHarness('in-process', { parts: { warn: () => {} }, warm: { perKey: 1 } });
  const coldHarness = await startHarness('in-process', { parts: { warn: () => {} } });
  try {
    await deploy(coldHarness, 'cold', steps(1), { sandbox: 'docker', timeout: 900 });
    for (const sandbox of SANDBOXES) {
      await deploy(h, `short-${sandbox}`, steps(4), { sandbox, maxTurns: 100, timeout: 900 });
      await deploy(h, `long-${sandbox}`, steps(40), { sandbox, maxTurns: 100, timeout: 900 });
      await deploy(h, `many-${sandbox}`, steps(19), {
        sandbox,
        maxTurns: 100,
        maxConcurrent: 20,
        timeout: 900,
      });
    }
    const perRun = async (sandbox: Kind) => {
      const short = await timedRun(h, `short-${sandbox}`);
      const long = await timedRun(h, `long-${sandbox}`);
      // The difference of a long and a short run: start and end costs cancel out.
      return {
        perStep: (long.overhead - short.overhead) / (long.steps - short.steps),
        start: median([short.start, long.start]),
        end: median([short.end, long.end]),
      };
    };
    const figures: Record<Kind, Awaited<ReturnType<typeof perRun>>[]> = { docker: [], local: [] };
    const cold: number[] = [];
    const concurrent = await interleaved(TRIALS, {
      docker: async () => {
        figures.docker.push(await perRun('docker'));
        cold.push((await timedRun(coldHarness, 'cold')).start);
        return manyAtOnce(h, 'many-docker');
      },
      local: async () => {
        figures.local.push(await perRun('local'));
        return manyAtOnce(h, 'many-local');
      },
    });
    const of = (kind: Kind, key: 'perStep' | 'start' | 'end') => median(figures[kind].map((f) => f[key]));
    const rows: Comparison[] = [
      {
        what: 'overhead per tool step in Docker (excl. model and tool time)',
        value: of('docker', 'perStep'),
        against: 'local sandbox',
        base: of('local', 'perStep'),
        unit: 'ms',
        goal: '≤ 2×',
      },
      {
        what: 'run start in Docker: call -> first tool_result (warm container ready)',
        value: of('docker', 'start'),
        against: 'local sandbox',
        base: of('local', 'start'),
        unit: 'ms',
        goal: '≤ 100 ms',
      },
      {
        what: 'run start in Docker: call -> first tool_result (cold: no warm container)',
        value: median(cold),
        against: 'local sandbox',
        base: of('local', 'start'),
        unit: 'ms',
        goal: '≤ 300 ms',
      },
      {
        what: 'run end in Docker: last tool result -> terminal event (last turn instant)',
        value: of('docker', 'end'),
        against: 'local sandbox',
        base: of('local', 'end'),
        unit: 'ms',
        goal: '≤ 50 ms',
      },
      {
        what: '20 concurrent Docker runs of 20 turns: wall',
        value: median(concurrent.docker),
        against: 'local sandbox',
        base: median(concurrent.local),
        unit: 'ms',
        goal: '≤ 3×',
      },
    ];
    printComparisons(`runs in Docker (${TRIALS} interleaved trials)`, rows);
  } finally {
    await h.close();
    await coldHarness.close();
  }
}

async function warmReady(h: Harness): Promise<void> {
  const since = performance.now();
  // A pool that cannot make one in a minute is a failure to report, not a wait forever.
  while (h.engine.warmContainers() === 0) {
    if (performance.now() - since > 60_000) throw new Error('no warm container was made within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function manyAtOnce(h: Harness, slug: string): Promise<number> {
  const started = performance.now();
  const runs = await Promise.all(Array.from({ length: 20 }, () => h.rt.agents.run(slug, { message: 'go' })));
  const failed = runs.find((r) => r.status !== 'completed');
  if (failed) throw new Error(`a concurrent bench run ended ${failed.status}: ${failed.error}`);
  return performance.now() - started;
}

/**
 * Long runs (issue 13): milliseconds per step of a run of 10, 100 and 1000 steps whose tool results
 * are 10 KB each, scripted model answering at once, local sandbox. A run's storage appends what a
 * step added, so the cost per step stays flat; the goal is 1000 steps within 1.5× of 10.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { deploy } from '../test/helpers/runs.js';
import { startHarness } from '../test/helpers/transports.js';
import { type Comparison, interleaved, median, printComparisons } from './lib.js';

/** Run lengths in turns; BENCH_LENGTHS=10,100 leaves out the long one (slow on old code). */
const LENGTHS = (process.env.BENCH_LENGTHS ?? '10,100,1000').split(',').map(Number);
const TRIALS = Number(process.env.BENCH_TRIALS ?? 3);

export async function main(): Promise<void> {
  const h = await startHarness('in-process', { parts: { warn: () => {} } });
  try {
    const workspace = await h.rt.workspaces.create({ id: 'long-runs' });
    // 10 KB of text: every step's tool result carries it into the conversation.
    const line = `${'x'.repeat(99)}\n`;
    writeFileSync(path.join(workspace.path, 'ten-kb.txt'), line.repeat(100).slice(0, 10 * 1024));
    for (const steps of LENGTHS) {
      const turns = [
        ...Array.from({ length: steps - 1 }, () => ({
          toolCalls: [{ name: 'read_file', input: { path: 'ten-kb.txt' } }],
        })),
        { text: 'done' },
      ];
      await deploy(h, `steps-${steps}`, turns, { tools: ['read_file'], maxTurns: steps + 1, timeout: 3600 });
    }
    const perStep = (steps: number) => async () => {
      const started = performance.now();
      const run = await h.rt.agents.run(`steps-${steps}`, {
        message: 'go',
        mounts: [{ workspaceId: 'long-runs', path: '/workspace' }],
      });
      if (run.status !== 'completed') throw new Error(`bench run ${run.status}: ${run.error}`);
      // A step is a model turn or a tool call, as RunTiming counts them.
      return (performance.now() - started) / h.engine.runService.timings.get(run.id)!.steps;
    };
    const times: Record<string, number[]> = await interleaved(
      TRIALS,
      Object.fromEntries(LENGTHS.map((steps) => [steps, perStep(steps)])),
    );
    const ten = median(times[LENGTHS[0]!]!);
    const rows: Comparison[] = LENGTHS.map((steps) => ({
      what: `ms per step, run of ${steps} turns (10 KB tool results)`,
      value: median(times[steps]!),
      against: `run of ${LENGTHS[0]} turns`,
      base: ten,
      unit: 'ms',
      goal: steps === 1000 ? '≤ 1.5× (of 10 turns)' : undefined,
    }));
    printComparisons(`long runs (scripted model, local sandbox, ${TRIALS} interleaved trials)`, rows);
  } finally {
    await h.close();
  }
}

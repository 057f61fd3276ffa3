import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EvalSuiteInput } from '../../src/api/evals.js';
import { expectApiError } from '../helpers/errors.js';
import { deploy } from '../helpers/runs.js';
import { type Harness, startHarness, TRANSPORTS } from '../helpers/transports.js';

/** Evals through both transports, on the local sandbox and scripted models: the API's shape and errors. */
describe.each(TRANSPORTS)('evals over %s', (transport) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(transport);
    await deploy(h, 'echo', [
      { text: 'Writing.', toolCalls: [{ name: 'bash', input: { command: 'cat seed.txt > out.txt' } }] },
      { text: 'Done: out.txt written.' },
    ]);
  });
  afterEach(() => h.close());

  const suite = (): EvalSuiteInput => {
    const fixture = path.join(h.projectDir, 'fixture');
    mkdirSync(fixture, { recursive: true });
    writeFileSync(path.join(fixture, 'seed.txt'), 'from the fixture\n');
    return {
      name: 'echo-suite',
      deployment: 'echo',
      cases: [
        {
          name: 'writes out.txt',
          message: 'copy the seed',
          workspace: fixture,
          checks: [
            { type: 'output_contains', value: 'out.txt written' },
            { type: 'file_contains', path: '/workspace/out.txt', value: 'from the fixture' },
            { type: 'max_cost_usd', value: 0.01 },
          ],
        },
        {
          name: 'says more',
          message: 'say more',
          checks: [{ type: 'output_matches', pattern: 'nothing like this' }],
        },
      ],
    };
  };

  it('starts an eval, reports it while it runs, and stores its trials, report and runs', async () => {
    const started = await h.rt.evals.start({ suite: suite(), repeat: 2, record: true });
    expect(started).toMatchObject({
      id: expect.stringMatching(/^eval-[0-9a-z]+$/),
      name: 'echo-suite',
      deployment: 'echo',
      status: 'running',
      repeat: 2,
      recorded: true,
      replayOf: null,
      cases: ['writes out.txt', 'says more'],
      variants: [{ label: 'current' }],
      progress: { total: 4 },
    });
    const seen: number[] = [];
    const detail = await h.rt.evals.run(
      { suite: suite(), variants: [{}, { label: 'draft', systemPrompt: 'Be terse.' }] },
      { onProgress: (e) => seen.push(e.progress.done), pollMs: 20 },
    );
    expect(seen.at(-1)).toBe(4);
    expect(detail.status).toBe('completed');
    expect(detail.report.variants.map((v) => [v.label, v.passRate, v.trials, v.passHatK])).toEqual([
      ['current', 0.5, 2, 0.5],
      ['draft', 0.5, 2, 0.5],
    ]);
    expect(detail.report.variants[1]?.delta).toEqual({
      passRate: 0,
      meanTurns: 0,
      // Scripted turns without usage cost 0 (priced, zero tokens), so the delta is a number.
      meanCostUsd: 0,
      meanDurationMs: expect.any(Number),
    });
    const ok = detail.results.find((r) => r.case === 'writes out.txt' && r.variant === 'draft');
    expect(ok).toMatchObject({ passed: true, status: 'passed', runStatus: 'completed', turns: 2 });
    expect(ok?.checks.map((c) => c.type)).toEqual(['output_contains', 'file_contains', 'max_cost_usd']);
    const run = await h.rt.runs.get(ok!.runId!);
    expect(run.input).toMatchObject({
      systemPrompt: 'Be terse.',
      eval: { id: detail.id, case: 'writes out.txt', variant: 'draft', trial: 1 },
    });
    const no = detail.results.find((r) => r.case === 'says more');
    expect(no?.checks[0]).toMatchObject({
      type: 'output_matches',
      passed: false,
      detail: 'no match for /nothing like this/',
    });

    await h.rt.evals.run({ suite: suite() }); // wait for the first one too: the list holds both
    const first = await h.rt.evals.get(started.id);
    expect(first.status).toBe('completed');
    const listed = await h.rt.evals.list();
    expect(listed.map((e) => e.id)).toEqual(expect.arrayContaining([started.id, detail.id]));
    expect(listed.find((e) => e.id === detail.id)).toMatchObject({ status: 'completed', passRate: 0.5 });
  });

  it('replays a recorded eval: the same model turns against the checks of today', async () => {
    const recorded = await h.rt.evals.run({ suite: suite(), record: true });
    const changed = suite();
    changed.cases[0]!.checks = [
      { type: 'file_contains', path: '/workspace/out.txt', value: 'something else' },
    ];
    const replay = await h.rt.evals.run({ suite: changed, replay: recorded.id });
    expect(replay).toMatchObject({ replayOf: recorded.id, variants: recorded.variants });
    const trial = replay.results.find((r) => r.case === 'writes out.txt')!;
    expect(trial.checks[0]).toMatchObject({ passed: false });
    expect((await h.rt.runs.get(trial.runId!)).input.model).toEqual({
      provider: 'replay',
      run: recorded.results.find((r) => r.case === 'writes out.txt')!.runId,
    });
    const notRecorded = await h.rt.evals.run({ suite: suite() });
    await expectApiError(
      h.rt.evals.start({ suite: suite(), replay: notRecorded.id }),
      400,
      /was not recorded; run the suite again with --record/,
    );
  });

  it('with a scripted model, gives the same result every time', async () => {
    const strip = (detail: Awaited<ReturnType<typeof h.rt.evals.run>>) => ({
      variants: detail.report.variants.map(({ meanDurationMs: _d, delta: _x, ...v }) => v),
      cases: detail.report.cases,
      results: detail.results.map(({ runId: _r, durationMs: _d, ...r }) => r),
    });
    const first = await h.rt.evals.run({ suite: suite(), repeat: 2 });
    const second = await h.rt.evals.run({ suite: suite(), repeat: 2 });
    expect(strip(second)).toEqual(strip(first));
    expect(first.results.map((r) => r.passed)).toEqual([true, false, true, false]);
  });

  it('answers errors that name the field and the fix', async () => {
    await expectApiError(h.rt.evals.get('eval-nope'), 404, /eval "eval-nope" not found; list evals/);
    await expectApiError(h.rt.evals.cancel('eval-nope'), 404, /eval "eval-nope" not found/);
    await expectApiError(
      h.rt.evals.start({ suite: { ...suite(), cases: [] } }),
      400,
      /invalid eval: suite.cases: a suite needs at least one case/,
    );
    await expectApiError(
      h.rt.evals.start({ suite: suite(), variants: [{ model: 'llama-3' }] }),
      400,
      /variants\[0\]\.model: unknown model "llama-3"/,
    );
    await expectApiError(
      h.rt.evals.start({
        suite: {
          ...suite(),
          cases: [
            { name: 'x', message: 'y', workspace: 'no/such/dir', checks: [{ type: 'max_turns', value: 1 }] },
          ],
        },
      }),
      400,
      /suite.cases\[0\].workspace: "no\/such\/dir" is not a folder on the server/,
    );
  });
});

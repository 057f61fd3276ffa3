import { describe, expect, it } from 'vitest';
import type { EvalDetail, EvalTrialResult } from '../../src/api/evals.js';
import { cellOf, compareVariants, points, variantWhat } from '../../src/studio/evals/eval-cells.js';

// What the evals page reads out of an eval's trials (the grid's counts, two variants compared).
const trial = (
  c: string,
  variant: string,
  n: number,
  status: EvalTrialResult['status'],
  checks: boolean[] = [],
): EvalTrialResult => ({
  case: c,
  variant,
  trial: n,
  runId: status === 'pending' ? null : `run-${c}-${variant}-${n}`,
  status,
  passed: status === 'passed',
  checks: checks.map((passed, i) => ({ type: i === 0 ? 'file_exists' : 'command', passed, detail: '' })),
  runStatus: null,
  turns: 1,
  tokens: 0,
  costUsd: null,
  durationMs: 10,
});

const detail = (results: EvalTrialResult[]): EvalDetail =>
  ({
    cases: ['script', 'coin'],
    variants: [{ label: 'a' }, { label: 'b' }],
    results,
  }) as unknown as EvalDetail;

describe('eval cells', () => {
  const data = detail([
    trial('script', 'a', 1, 'failed', [true, false]),
    trial('script', 'a', 2, 'failed', [true, false]),
    trial('script', 'b', 2, 'passed', [true, true]),
    trial('script', 'b', 1, 'passed', [true, true]),
    trial('coin', 'a', 1, 'passed', [true]),
    trial('coin', 'a', 2, 'failed', [false]),
    trial('coin', 'b', 1, 'passed', [true]),
    trial('coin', 'b', 2, 'running'),
  ]);

  it('counts passes over finished trials, marks flaky ones, and keeps trials in order', () => {
    expect(cellOf(data, 'coin', 'a')).toMatchObject({ passed: 1, finished: 2, flaky: true });
    const running = cellOf(data, 'coin', 'b');
    expect(running).toMatchObject({ passed: 1, finished: 1, flaky: false });
    expect(running.trials.map((t) => t.status)).toEqual(['passed', 'running']);
    expect(cellOf(data, 'script', 'b').trials.map((t) => t.trial)).toEqual([1, 2]);
  });

  it('compares two variants: the checks whose pass share differs, and a failing run against a passing one', () => {
    const [script, coin] = compareVariants(data, 'a', 'b');
    expect(script!.checks).toEqual([{ type: 'command', index: 1, a: '0/2', b: '2/2' }]);
    expect(script!.runs).toEqual(['run-script-a-1', 'run-script-b-1']);
    // 1/2 against 1/1 differs in share; the running trial is not counted.
    expect(coin!.checks).toEqual([{ type: 'file_exists', index: 0, a: '1/2', b: '1/1' }]);
    expect(coin!.runs).toEqual(['run-coin-a-2', 'run-coin-b-1']);
  });

  it('words variants and deltas', () => {
    expect(variantWhat({ label: 'v2', runtimeVersion: 2 })).toBe('version 2');
    expect(variantWhat({ label: 'draft', systemPrompt: 'x', promptFile: 'careful.md' })).toBe(
      'draft prompt (careful.md)',
    );
    expect(variantWhat({ label: 'current' })).toBe('the deployment’s current runtime');
    expect([points(0.5), points(-0.25), points(0)]).toEqual(['+50 pts', '−25 pts', '±0 pts']);
  });
});

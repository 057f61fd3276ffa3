import type { EvalCaseReport, EvalReport, EvalTrialResult, EvalVariantReport } from '../api/evals.js';

const FINISHED = new Set(['passed', 'failed']);
const mean = (values: number[]): number =>
  values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
const round = (value: number, digits = 4): number => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * The numbers of an eval from its trials. Only finished trials count (a cancelled eval reports
 * what finished). Per variant: pass rate, pass@1 (mean over cases of the share of trials passed),
 * pass^k (share of cases passed in every trial), means of turns, tokens, cost and duration, and the
 * delta to the first variant. Per case: passes per variant, flaky where some trials pass and some fail.
 */
export function buildReport(
  cases: readonly string[],
  variants: readonly string[],
  results: readonly EvalTrialResult[],
): EvalReport {
  const finished = results.filter((r) => FINISHED.has(r.status));
  const variantReports = variants.map((label) => variantReport(label, cases, finished));
  const base = variantReports[0];
  for (const report of variantReports.slice(1)) {
    if (!base) break;
    report.delta = {
      passRate: round(report.passRate - base.passRate),
      meanTurns: round(report.meanTurns - base.meanTurns, 2),
      meanCostUsd:
        report.meanCostUsd === null || base.meanCostUsd === null
          ? null
          : round(report.meanCostUsd - base.meanCostUsd, 6),
      meanDurationMs: Math.round(report.meanDurationMs - base.meanDurationMs),
    };
  }
  const caseReports: EvalCaseReport[] = cases.map((name) => ({
    case: name,
    variants: variants.map((label) => {
      const trials = finished.filter((r) => r.case === name && r.variant === label);
      const passed = trials.filter((r) => r.passed).length;
      return { label, passed, trials: trials.length, flaky: passed > 0 && passed < trials.length };
    }),
  }));
  return { variants: variantReports, cases: caseReports };
}

function variantReport(
  label: string,
  cases: readonly string[],
  finished: readonly EvalTrialResult[],
): EvalVariantReport {
  const trials = finished.filter((r) => r.variant === label);
  const passed = trials.filter((r) => r.passed).length;
  const perCase = cases
    .map((name) => trials.filter((r) => r.case === name))
    .filter((caseTrials) => caseTrials.length > 0);
  const costs = trials.map((r) => r.costUsd);
  return {
    label,
    passRate: trials.length === 0 ? 0 : round(passed / trials.length),
    passAt1: round(mean(perCase.map((t) => t.filter((r) => r.passed).length / t.length))),
    passHatK: round(
      perCase.length === 0 ? 0 : perCase.filter((t) => t.every((r) => r.passed)).length / perCase.length,
    ),
    trials: trials.length,
    passed,
    meanTurns: round(mean(trials.map((r) => r.turns)), 2),
    meanTokens: Math.round(mean(trials.map((r) => r.tokens))),
    meanCostUsd:
      costs.some((c) => c === null) || costs.length === 0 ? null : round(mean(costs as number[]), 6),
    meanDurationMs: Math.round(mean(trials.map((r) => r.durationMs ?? 0))),
    delta: null,
  };
}

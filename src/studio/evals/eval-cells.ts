// What the evals page reads out of an eval's trials: a cell's trials, and two variants case by case.
import type { EvalCheckType, EvalDetail, EvalTrialResult, EvalVariant } from '../../api/evals.js';
import { modelLabel } from '../../api/model-names.js';

const finished = (r: EvalTrialResult) => r.status === 'passed' || r.status === 'failed';

/** A case on one variant: its trials (every status), and passes over the finished ones. */
export interface Cell {
  trials: EvalTrialResult[];
  passed: number;
  finished: number;
  /** Passing in some finished trials and failing in others. */
  flaky: boolean;
}

export function cellOf(detail: EvalDetail, caseName: string, variant: string): Cell {
  const trials = detail.results
    .filter((r) => r.case === caseName && r.variant === variant)
    .sort((x, y) => x.trial - y.trial);
  const done = trials.filter(finished);
  const passed = done.filter((r) => r.passed).length;
  return { trials, passed, finished: done.length, flaky: passed > 0 && passed < done.length };
}

/** One check of a case whose pass count differs between the two variants. */
export interface CheckDifference {
  type: EvalCheckType;
  /** The check's place in the case (a case may have two checks of one type). */
  index: number;
  a: string;
  b: string;
}

export interface CaseComparison {
  case: string;
  a: Cell;
  b: Cell;
  checks: CheckDifference[];
  /** Two runs to open in Compare: where the variants disagree, one that passed against one that failed. */
  runs: [string, string] | null;
}

/** Two variants, case by case: pass counts, the checks that differ, and a pair of runs to compare. */
export function compareVariants(detail: EvalDetail, a: string, b: string): CaseComparison[] {
  return detail.cases.map((name) => {
    const left = cellOf(detail, name, a);
    const right = cellOf(detail, name, b);
    return {
      case: name,
      a: left,
      b: right,
      checks: checkDifferences(left, right),
      runs: runPair(left, right),
    };
  });
}

function checkDifferences(a: Cell, b: Cell): CheckDifference[] {
  const counts = (cell: Cell) => {
    const done = cell.trials.filter(finished);
    const width = Math.max(0, ...done.map((r) => r.checks.length));
    return Array.from({ length: width }, (_, index) => ({
      type: done.find((r) => r.checks[index])?.checks[index]?.type,
      passed: done.filter((r) => r.checks[index]?.passed).length,
      of: done.filter((r) => r.checks[index]).length,
    }));
  };
  const left = counts(a);
  const right = counts(b);
  const differences: CheckDifference[] = [];
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const l = left[index];
    const r = right[index];
    const type = l?.type ?? r?.type;
    if (!type) continue;
    // Shares, not counts: 1/2 and 2/4 agree.
    const share = (c: typeof l) => (c && c.of > 0 ? c.passed / c.of : null);
    if (share(l) === share(r)) continue;
    differences.push({
      type,
      index,
      a: l && l.of > 0 ? `${l.passed}/${l.of}` : '–',
      b: r && r.of > 0 ? `${r.passed}/${r.of}` : '–',
    });
  }
  return differences;
}

function runPair(a: Cell, b: Cell): [string, string] | null {
  const runs = (cell: Cell, passed?: boolean) =>
    cell.trials.filter((r) => r.runId && finished(r) && (passed === undefined || r.passed === passed));
  const pick =
    [
      [runs(a, false)[0], runs(b, true)[0]],
      [runs(a, true)[0], runs(b, false)[0]],
      [runs(a)[0], runs(b)[0]],
    ].find(([l, r]) => l && r) ?? [];
  const [l, r] = pick;
  return l?.runId && r?.runId ? [l.runId, r.runId] : null;
}

/** What a variant changes: "v2", a model, "draft careful.md"; "current" when nothing. */
export function variantWhat(variant: EvalVariant): string {
  const parts: string[] = [];
  if (variant.runtimeVersion !== undefined) parts.push(`version ${variant.runtimeVersion}`);
  if (variant.model) parts.push(modelLabel(variant.model));
  if (variant.systemPrompt !== undefined)
    parts.push(`draft prompt${variant.promptFile ? ` (${variant.promptFile})` : ''}`);
  return parts.length > 0 ? parts.join(' · ') : 'the deployment’s current runtime';
}

export const percent = (rate: number | null | undefined): string =>
  rate === null || rate === undefined ? '–' : `${Math.round(rate * 100)}%`;

/** +12 pts, −5 pts, ±0. */
export function points(delta: number): string {
  const pts = Math.round(delta * 100);
  return pts === 0 ? '±0 pts' : `${pts > 0 ? '+' : '−'}${Math.abs(pts)} pts`;
}

/** A signed difference: +1.5, −0.20. */
export function signed(delta: number, format: (n: number) => string = (n) => n.toFixed(1)): string {
  if (delta === 0) return '±0';
  return `${delta > 0 ? '+' : '−'}${format(Math.abs(delta))}`;
}

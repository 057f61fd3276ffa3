import type { Colors } from 'picocolors/types.js';
import type { EvalData, EvalDetail, EvalVariantReport } from '../api/evals.js';
import { cost, count, duration, oneLine, stripAnsi } from './render/text.js';

const percent = (rate: number): string => `${Math.round(rate * 100)}%`;
const signed = (value: number, unit: (n: number) => string): string =>
  `${value > 0 ? '+' : value < 0 ? '-' : '±'}${unit(Math.abs(value))}`;

/** The progress line while an eval runs: trials done / total, running, queued. */
export function progressLine(data: EvalData, c: Colors): string {
  const { total, done, running, queued } = data.progress;
  const rate = data.passRate === null ? '' : c.dim(` · ${percent(data.passRate)} passing so far`);
  return `${c.cyan('▶')} trials ${done}/${total} ${c.dim('·')} running ${running} ${c.dim('·')} queued ${queued}${rate}`;
}

/** Columns padded to their widest cell (ANSI colours do not count). */
function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, stripAnsi(cell).length);
    });
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - stripAnsi(cell).length),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function deltaCell(variant: EvalVariantReport, c: Colors): string {
  if (!variant.delta) return c.dim('baseline');
  const d = variant.delta.passRate;
  const text = signed(Math.round(d * 100), (n) => `${n} pts`);
  return d > 0 ? c.green(text) : d < 0 ? c.red(text) : c.dim(text);
}

/**
 * The report of an eval: per variant pass rate (pass@1, pass^k), mean turns, tokens, cost and
 * duration with the delta to the first variant; per case which variants pass, flaky ones marked;
 * then the failed checks, one line each.
 */
export function evalReport(detail: EvalDetail, c: Colors): string {
  const { report } = detail;
  const k = detail.repeat;
  const header = `${c.bold(detail.name)} ${c.dim('·')} ${detail.deployment} ${c.dim('·')} ${detail.cases.length} case${detail.cases.length === 1 ? '' : 's'} × ${detail.variants.length} variant${detail.variants.length === 1 ? '' : 's'} × ${k} trial${k === 1 ? '' : 's'} ${c.dim(`· ${detail.status} · ${detail.id}`)}`;
  const variantRows = [
    ['variant', 'pass rate', 'pass@1', `pass^${k}`, 'turns', 'tokens', 'cost', 'time', 'Δ pass rate'].map(
      (h) => c.dim(h),
    ),
    ...report.variants.map((v) => [
      c.bold(v.label),
      `${(v.passRate === 1 ? c.green : v.passRate === 0 ? c.red : c.yellow)(percent(v.passRate))} (${v.passed}/${v.trials})`,
      v.passAt1.toFixed(2),
      v.passHatK.toFixed(2),
      v.meanTurns.toFixed(1),
      count(v.meanTokens),
      v.meanCostUsd === null ? c.dim('-') : cost(v.meanCostUsd),
      duration(v.meanDurationMs),
      deltaCell(v, c),
    ]),
  ];
  const caseRows = [
    [c.dim('case'), ...report.variants.map((v) => c.dim(v.label))],
    ...report.cases.map((row) => [
      row.case,
      ...row.variants.map((v) => {
        if (v.trials === 0) return c.dim('-');
        const text = `${v.passed}/${v.trials}`;
        if (v.flaky) return `${c.yellow(text)} ${c.yellow('flaky')}`;
        return v.passed === v.trials ? c.green(text) : c.red(text);
      }),
    ]),
  ];
  const failures = detail.results
    .filter((r) => r.status === 'failed')
    .flatMap((r) => {
      const failed = r.checks.filter((check) => !check.passed);
      const why = failed.length > 0 ? failed : [{ type: 'run', detail: `the run ended ${r.runStatus}` }];
      return why.map(
        (check) =>
          `  ${c.red('✖')} ${r.case} ${c.dim(`· ${r.variant} · trial ${r.trial} ·`)} ${check.type}: ${oneLine(check.detail, 100)} ${c.dim(r.runId ?? '')}`,
      );
    });
  const cancelled = detail.results.filter((r) => r.status === 'cancelled').length;
  return [
    header,
    '',
    table(variantRows),
    '',
    table(caseRows),
    ...(failures.length > 0 ? ['', c.dim('failed checks:'), ...failures.slice(0, 40)] : []),
    ...(failures.length > 40
      ? [c.dim(`  … ${failures.length - 40} more: runtools evals show ${detail.id} --json`)]
      : []),
    ...(cancelled > 0
      ? [
          '',
          c.yellow(
            `${cancelled} trial${cancelled === 1 ? '' : 's'} cancelled before finishing (not counted)`,
          ),
        ]
      : []),
  ].join('\n');
}

/** The `--json` shape of the issue: variants with their numbers, and one row per trial. */
export interface EvalJsonReport {
  variants: {
    label: string;
    passRate: number;
    trials: number;
    meanCostUsd: number | null;
    meanTurns: number;
    meanDurationMs: number;
  }[];
  results: {
    case: string;
    variant: string;
    trial: number;
    runId: string | null;
    passed: boolean;
    checks: { type: string; passed: boolean; detail: string }[];
  }[];
}

/** `runtools eval --json`: the report in the issue's shape. */
export function evalJson(detail: EvalDetail): EvalJsonReport {
  return {
    variants: detail.report.variants.map((v) => ({
      label: v.label,
      passRate: v.passRate,
      trials: v.trials,
      meanCostUsd: v.meanCostUsd,
      meanTurns: v.meanTurns,
      meanDurationMs: v.meanDurationMs,
    })),
    results: detail.results.map((r) => ({
      case: r.case,
      variant: r.variant,
      trial: r.trial,
      runId: r.runId,
      passed: r.passed,
      checks: r.checks.map((check) => ({ type: check.type, passed: check.passed, detail: check.detail })),
    })),
  };
}

/** One line per eval for `evals list`. */
export function evalLine(data: EvalData, c: Colors): string {
  const rate = data.passRate === null ? c.dim('-') : percent(data.passRate);
  return [
    data.id,
    data.status.padEnd(9),
    `${data.name} (${data.deployment})`,
    `${data.progress.done}/${data.progress.total} trials`,
    rate,
    data.variants.map((v) => v.label).join(' vs '),
    data.recorded ? c.cyan('recorded') : '',
    data.replayOf ? c.dim(`replay of ${data.replayOf}`) : '',
    c.dim(data.createdAt),
  ]
    .filter((cell) => cell !== '')
    .join('  ');
}

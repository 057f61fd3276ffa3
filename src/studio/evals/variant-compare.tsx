import type { EvalDetail } from '../../api/evals.js';
import { href } from '../router.js';
import { type Cell, compareVariants } from './eval-cells.js';

const count = (cell: Cell) => (cell.finished === 0 ? '–' : `${cell.passed}/${cell.finished}`);

/** Variants A and B, case by case: passes side by side, the checks that differ, two runs to compare. */
export function VariantComparison({ data, a, b }: { data: EvalDetail; a: string; b: string }) {
  if (a === b) return <p class="muted">Pick two different variants to compare.</p>;
  const rows = compareVariants(data, a, b);
  return (
    <table class="runs variant-compare">
      <thead>
        <tr>
          <th>Case</th>
          <th class="num">A · {a}</th>
          <th class="num">B · {b}</th>
          <th>Checks that differ (A → B)</th>
          <th>Runs</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const shareA = row.a.finished ? row.a.passed / row.a.finished : null;
          const shareB = row.b.finished ? row.b.passed / row.b.finished : null;
          const verdict =
            shareA === null || shareB === null || shareA === shareB
              ? ''
              : shareB > shareA
                ? 'better'
                : 'worse';
          return (
            <tr key={row.case} data-case={row.case} class={verdict ? 'differs' : undefined}>
              <td>{row.case}</td>
              <td class="num">
                {count(row.a)}
                {row.a.flaky && <span class="mark">flaky</span>}
              </td>
              <td class="num">
                <span class={verdict}>{count(row.b)}</span>
                {row.b.flaky && <span class="mark">flaky</span>}
              </td>
              <td>
                {row.checks.length === 0 ? (
                  <span class="muted">same</span>
                ) : (
                  row.checks.map((c) => (
                    <span key={c.index} class="check-diff">
                      <code>{c.type}</code> {c.a} → {c.b}
                    </span>
                  ))
                )}
              </td>
              <td>
                {row.runs ? (
                  <a
                    href={href('compare', row.runs[0], row.runs[1])}
                    title="Open a run of A beside a run of B"
                  >
                    Compare runs
                  </a>
                ) : (
                  <span class="muted">no finished runs</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

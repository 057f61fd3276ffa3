import type { EvalDetail, EvalTrialResult } from '../../api/evals.js';
import { href } from '../router.js';
import { duration } from '../ui/format.js';
import { type Cell, cellOf } from './eval-cells.js';

/** Cases down, variants across; each cell its passes over finished trials, flaky marked, and opens its trials. */
export function EvalGrid({
  data,
  open,
  onOpen,
}: {
  data: EvalDetail;
  open: { case: string; variant: string };
  onOpen(caseName: string, variant: string): void;
}) {
  const labels = data.variants.map((v) => v.label);
  return (
    <table class="eval-grid">
      <thead>
        <tr>
          <th>Case</th>
          {labels.map((label) => (
            <th key={label}>{label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {data.cases.map((name) => (
          <tr key={name} data-case={name}>
            <th scope="row">{name}</th>
            {labels.map((label) => {
              const cell = cellOf(data, name, label);
              const isOpen = open.case === name && open.variant === label;
              return (
                <td key={label} data-variant={label}>
                  <button
                    type="button"
                    class={`cell ${tone(cell)}${isOpen ? ' open' : ''}`}
                    aria-pressed={isOpen}
                    aria-label={`${name} on ${label}: ${cell.passed} of ${cell.finished} passed${cell.flaky ? ', flaky' : ''}`}
                    onClick={() => onOpen(name, label)}
                  >
                    <span class="cell-count">
                      {cell.finished === 0 ? '–' : `${cell.passed}/${cell.finished}`}
                    </span>
                    {cell.flaky && <span class="mark">flaky</span>}
                    <CellPending cell={cell} />
                  </button>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function tone(cell: Cell): string {
  if (cell.finished === 0) return 'cell-none';
  if (cell.passed === cell.finished) return 'cell-pass';
  if (cell.passed === 0) return 'cell-fail';
  return 'cell-some';
}

/** Trials not finished yet: running or waiting in the queue, and any cancelled. */
function CellPending({ cell }: { cell: Cell }) {
  const count = (status: EvalTrialResult['status']) => cell.trials.filter((t) => t.status === status).length;
  const running = count('running');
  const pending = count('pending');
  const cancelled = count('cancelled');
  const parts = [
    running > 0 && `${running} running`,
    pending > 0 && `${pending} waiting`,
    cancelled > 0 && `${cancelled} cancelled`,
  ].filter(Boolean);
  return parts.length > 0 ? <span class="cell-pending">{parts.join(' · ')}</span> : null;
}

/** A cell's trials: each one's status, checks with what was seen, and a link to its run. */
export function CellTrials({
  data,
  caseName,
  variant,
  onClose,
}: {
  data: EvalDetail;
  caseName: string;
  variant: string;
  onClose(): void;
}) {
  const cell = cellOf(data, caseName, variant);
  return (
    <section class="cell-trials" aria-label={`Trials of ${caseName} on ${variant}`}>
      <header class="panel-head">
        <h3>
          {caseName} · {variant}
        </h3>
        <button type="button" class="link" onClick={onClose}>
          Close
        </button>
      </header>
      <ol class="trials">
        {cell.trials.map((t) => (
          <li key={t.trial} class={`trial trial-${t.status}`} data-trial={t.trial}>
            <div class="trial-head">
              <strong>Trial {t.trial}</strong>
              <span class={`badge trial-status-${t.status}`}>{t.status}</span>
              {t.runId ? (
                <a href={href('runs', t.runId)} class="mono">
                  {t.runId}
                </a>
              ) : (
                <span class="muted">no run yet</span>
              )}
              {t.runStatus && t.runStatus !== 'completed' && (
                <span class="muted">run {t.runStatus.replace('_', ' ')}</span>
              )}
              <span class="spacer" />
              <span class="muted">
                {t.turns} turn{t.turns === 1 ? '' : 's'} · {duration(t.durationMs)}
              </span>
            </div>
            {t.checks.length > 0 && (
              <ul class="checks">
                {t.checks.map((check, i) => (
                  <li key={i} class={check.passed ? 'check-pass' : 'check-fail'}>
                    <span class="check-mark">{check.passed ? '✔' : '✖'}</span>
                    <span class="check-type">{check.type}</span>
                    {check.detail &&
                      (check.passed && !check.detail.includes('\n') ? (
                        <span class="muted">{check.detail}</span>
                      ) : (
                        <pre class="check-detail">{check.detail}</pre>
                      ))}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

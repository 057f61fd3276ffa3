import type { EvalData } from '../../api/evals.js';
import { href } from '../router.js';
import { ErrorNote, Loading } from '../ui/bits.js';
import { when } from '../ui/format.js';
import { useClient, useLoad } from '../ui/hooks.js';
import { EvalStatusBadge, Progress } from './eval-bits.js';
import { percent } from './eval-cells.js';
import { EvalDetailView } from './eval-detail.js';

/** Evals are listed live: a new eval, or one's progress, shows within this. */
const POLL_MS = 1_500;

/** `#/evals`: every eval, newest first; `#/evals/<id>`: one eval's report. */
export function EvalsView({ id, query }: { id?: string; query: URLSearchParams }) {
  return id ? <EvalDetailView id={id} query={query} /> : <EvalsList />;
}

function EvalsList() {
  const client = useClient();
  const evals = useLoad(() => client.evals.list(), [], POLL_MS);
  return (
    <div class="view">
      <header class="view-head">
        <h1>Evals</h1>
      </header>
      <ErrorNote error={evals.error} />
      {!evals.data && !evals.error && <Loading what="evals" />}
      {evals.data && evals.data.length > 0 && <EvalsTable evals={evals.data} />}
      {evals.data?.length === 0 && (
        <p class="muted">
          No evals yet. An eval runs a suite of cases against prompt versions and models, checks what each run
          produced, and shows pass rates here. In a terminal:{' '}
          <code>npx runtools eval evals/todo.eval.json --versions 1,2 --repeat 3</code>
        </p>
      )}
    </div>
  );
}

function EvalsTable({ evals }: { evals: EvalData[] }) {
  return (
    <table class="runs evals">
      <thead>
        <tr>
          <th>Started</th>
          <th>Suite</th>
          <th>Status</th>
          <th>Deployment</th>
          <th>Pass rate by variant</th>
          <th class="num">Cases</th>
          <th class="num">Trials</th>
        </tr>
      </thead>
      <tbody>
        {evals.map((e) => (
          <tr key={e.id} data-eval={e.id}>
            <td class="nowrap">{when(e.createdAt)}</td>
            <td>
              <a href={href('evals', e.id)}>{e.name}</a>
              {e.recorded && <span class="tag">recorded</span>}
              {e.replayOf && <span class="tag">replay</span>}
            </td>
            <td class="nowrap">
              <EvalStatusBadge status={e.status} />
              {e.status === 'running' && <Progress progress={e.progress} />}
            </td>
            <td>{e.deployment}</td>
            <td>
              <span class="variant-rates">
                {e.byVariant.map((v) => (
                  <span
                    key={v.label}
                    class="variant-rate"
                    title={`${v.passed} of ${v.finished} finished trials passed`}
                  >
                    {v.label} <strong>{v.finished === 0 ? '–' : percent(v.passed / v.finished)}</strong>
                  </span>
                ))}
              </span>
            </td>
            <td class="num">{e.cases.length}</td>
            <td class="num">
              {e.progress.done}/{e.progress.total}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

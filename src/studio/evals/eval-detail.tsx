import { useState } from 'preact/hooks';
import type { EvalDetail, EvalVariantReport } from '../../api/evals.js';
import { href, navigate } from '../router.js';
import { ErrorNote, Loading, Section } from '../ui/bits.js';
import { cost, duration, when } from '../ui/format.js';
import { useClient, useLoad } from '../ui/hooks.js';
import { EvalStatusBadge, Progress } from './eval-bits.js';
import { percent, points, signed, variantWhat } from './eval-cells.js';
import { CellTrials, EvalGrid } from './eval-grid.js';
import { VariantComparison } from './variant-compare.js';

/** While an eval runs its page is reloaded this often; once it has ended, no more. */
const POLL_MS = 1_000;

/** One eval: its variants' numbers, the grid of cases × variants, a cell's trials, two variants compared. */
export function EvalDetailView({ id, query }: { id: string; query: URLSearchParams }) {
  const client = useClient();
  const [live, setLive] = useState(true);
  const detail = useLoad(
    async () => {
      const data = await client.evals.get(id);
      setLive(data.status === 'running');
      return data;
    },
    [id],
    live ? POLL_MS : undefined,
  );
  if (!detail.data) return detail.error ? <ErrorNote error={detail.error} /> : <Loading what="the eval" />;
  const data = detail.data;
  const openCase = query.get('case') ?? '';
  const openVariant = query.get('variant') ?? '';
  const labels = data.variants.map((v) => v.label);
  const a = labels.includes(query.get('a') ?? '') ? query.get('a')! : labels[0]!;
  const b = labels.includes(query.get('b') ?? '') ? query.get('b')! : (labels[1] ?? labels[0]!);
  const place = (change: Record<string, string | undefined>) =>
    navigate(href('evals', id, { case: openCase, variant: openVariant, a, b, ...change }));
  return (
    <div class="view eval-view">
      <header class="view-head">
        <div>
          <div class="crumbs">
            <a href={href('evals')}>Evals</a> / <span class="mono">{id}</span>
          </div>
          <h1>
            {data.name} <EvalStatusBadge status={data.status} />
            {data.status === 'running' && <Progress progress={data.progress} />}
          </h1>
        </div>
        {data.status === 'running' && (
          <button
            type="button"
            class="danger"
            onClick={() => void client.evals.cancel(id).then(detail.reload)}
          >
            Cancel eval
          </button>
        )}
      </header>
      <ErrorNote error={detail.error} />
      {data.error && (
        <p class="error-note" role="alert">
          {data.error}
        </p>
      )}
      <EvalFacts data={data} />
      <Section title="Variants">
        <VariantsTable data={data} />
      </Section>
      <Section title={`Cases × variants (${data.repeat} trial${data.repeat === 1 ? '' : 's'} each)`}>
        <EvalGrid
          data={data}
          open={{ case: openCase, variant: openVariant }}
          onOpen={(c, v) =>
            place(c === openCase && v === openVariant ? { case: '', variant: '' } : { case: c, variant: v })
          }
        />
        {openCase && openVariant && labels.includes(openVariant) && data.cases.includes(openCase) && (
          <CellTrials
            data={data}
            caseName={openCase}
            variant={openVariant}
            onClose={() => place({ case: '', variant: '' })}
          />
        )}
      </Section>
      {labels.length > 1 && (
        <Section
          title="Two variants, case by case"
          actions={
            <div class="filters">
              <VariantPick label="A" value={a} labels={labels} onChange={(value) => place({ a: value })} />
              <VariantPick label="B" value={b} labels={labels} onChange={(value) => place({ b: value })} />
            </div>
          }
        >
          <VariantComparison data={data} a={a} b={b} />
        </Section>
      )}
    </div>
  );
}

function EvalFacts({ data }: { data: EvalDetail }) {
  return (
    <dl class="facts eval-facts">
      <dt>deployment</dt>
      <dd>{data.deployment}</dd>
      {data.suiteFile && (
        <>
          <dt>suite</dt>
          <dd class="mono">{data.suiteFile}</dd>
        </>
      )}
      <dt>trials</dt>
      <dd>
        {data.cases.length} case{data.cases.length === 1 ? '' : 's'} × {data.variants.length} variant
        {data.variants.length === 1 ? '' : 's'} × {data.repeat} = {data.progress.total}
      </dd>
      <dt>started</dt>
      <dd>{when(data.createdAt)}</dd>
      {data.endedAt && (
        <>
          <dt>took</dt>
          <dd>{duration(Date.parse(data.endedAt) - Date.parse(data.createdAt))}</dd>
        </>
      )}
      {data.replayOf && (
        <>
          <dt>replays</dt>
          <dd>
            <a href={href('evals', data.replayOf)}>{data.replayOf}</a>
          </dd>
        </>
      )}
    </dl>
  );
}

function VariantsTable({ data }: { data: EvalDetail }) {
  const variants = new Map(data.variants.map((v) => [v.label, v]));
  const showK = data.repeat > 1;
  return (
    <table class="runs eval-variants">
      <thead>
        <tr>
          <th>Variant</th>
          <th>Runs with</th>
          <th class="num">Pass rate</th>
          {showK && (
            <>
              <th
                class="num"
                title="The chance one trial passes: mean over cases of the share of trials passed"
              >
                pass@1
              </th>
              <th class="num" title={`Share of cases passed in all ${data.repeat} trials`}>
                pass^{data.repeat}
              </th>
            </>
          )}
          <th class="num">Turns</th>
          <th class="num">Cost</th>
          <th class="num">Duration</th>
          <th>Against {data.variants[0]?.label}</th>
        </tr>
      </thead>
      <tbody>
        {data.report.variants.map((v) => (
          <tr key={v.label} data-variant={v.label}>
            <td>
              <strong>{v.label}</strong>
            </td>
            <td class="muted">{variants.get(v.label) ? variantWhat(variants.get(v.label)!) : ''}</td>
            <td class="num pass-rate">
              {v.trials === 0 ? '–' : `${percent(v.passRate)} (${v.passed}/${v.trials})`}
            </td>
            {showK && (
              <>
                <td class="num">{v.trials === 0 ? '–' : v.passAt1.toFixed(2)}</td>
                <td class="num">{v.trials === 0 ? '–' : v.passHatK.toFixed(2)}</td>
              </>
            )}
            <td class="num">{v.trials === 0 ? '–' : v.meanTurns.toFixed(1)}</td>
            <td class="num">{cost(v.meanCostUsd)}</td>
            <td class="num">{v.trials === 0 ? '–' : duration(v.meanDurationMs)}</td>
            <td class="delta">
              <Delta variant={v} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Delta({ variant }: { variant: EvalVariantReport }) {
  const d = variant.delta;
  if (!d) return <span class="muted">baseline</span>;
  if (variant.trials === 0) return <span class="muted">–</span>;
  const tone = d.passRate > 0 ? 'better' : d.passRate < 0 ? 'worse' : '';
  return (
    <span>
      <span class={tone}>{points(d.passRate)}</span>
      <span class="muted">
        {' · '}
        {signed(d.meanTurns)} turns · {signed(d.meanDurationMs, (ms) => duration(ms))}
        {d.meanCostUsd !== null && d.meanCostUsd !== 0 && ` · ${signed(d.meanCostUsd, (usd) => cost(usd))}`}
      </span>
    </span>
  );
}

function VariantPick(props: {
  label: string;
  value: string;
  labels: string[];
  onChange(value: string): void;
}) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {props.labels.map((l) => (
          <option key={l} value={l}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}

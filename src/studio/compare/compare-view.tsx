import { useState } from 'preact/hooks';
import type { AgentRunDetail } from '../../api/contract.js';
import { isTerminal } from '../../api/types.js';
import { href, navigate } from '../router.js';
import { ErrorNote, Loading, StatusBadge, UnifiedDiff } from '../ui/bits.js';
import { cost, duration, model, oneLine, tokens } from '../ui/format.js';
import { useClient, useLoad } from '../ui/hooks.js';
import { useRunModels } from '../ui/versions.js';
import { alignToolCalls } from './align.js';
import { WordDiff } from './word-diff.js';

/** Two runs side by side: their numbers, their tool calls aligned, their output and files, differences marked. */
export function CompareView({ a, b }: { a: string; b: string }) {
  if (!a || !b) return <ComparePicker a={a} b={b} />;
  return <Comparison a={a} b={b} />;
}

function Comparison({ a, b }: { a: string; b: string }) {
  const client = useClient();
  const [live, setLive] = useState(true);
  const runs = useLoad(
    async () => {
      const pair = await Promise.all([client.runs.get(a), client.runs.get(b)]);
      if (pair.every((run) => isTerminal(run.status))) setLive(false);
      return pair;
    },
    [a, b],
    live ? 1_000 : undefined,
  );
  const models = useRunModels(client, runs.data);
  if (!runs.data) return runs.error ? <ErrorNote error={runs.error} /> : <Loading what="the two runs" />;
  const [left, right] = runs.data;
  const rows: { label: string; l: string; r: string }[] = [
    { label: 'status', l: left.status, r: right.status },
    {
      label: 'runtime',
      l: `${left.runtimeSlug} v${left.runtimeVersion ?? '–'}`,
      r: `${right.runtimeSlug} v${right.runtimeVersion ?? '–'}`,
    },
    { label: 'model', l: model(models.get(left.id)), r: model(models.get(right.id)) },
    {
      label: 'prompt',
      l: left.input.systemPrompt === undefined ? 'the version’s' : 'a draft',
      r: right.input.systemPrompt === undefined ? 'the version’s' : 'a draft',
    },
    { label: 'turns', l: String(left.turns), r: String(right.turns) },
    { label: 'tokens in', l: tokens(left.usage.inputTokens), r: tokens(right.usage.inputTokens) },
    { label: 'tokens out', l: tokens(left.usage.outputTokens), r: tokens(right.usage.outputTokens) },
    { label: 'cost', l: cost(left.usage.costUsd), r: cost(right.usage.costUsd) },
    { label: 'duration', l: duration(left.durationMs), r: duration(right.durationMs) },
    { label: 'tool calls', l: String(left.toolCalls.length), r: String(right.toolCalls.length) },
    { label: 'files changed', l: String(left.files.length), r: String(right.files.length) },
  ];
  const steps = alignToolCalls(left.toolCalls, right.toolCalls);
  const changed = steps.filter((s) => s.inputDiffers || s.resultDiffers).length;
  return (
    <div class="view compare-view">
      <header class="view-head">
        <h1>Compare</h1>
        <button type="button" onClick={() => navigate(href('compare', b, a))}>
          Swap sides
        </button>
      </header>
      <table class="compare-facts">
        {/* Fixed columns: the two runs get equal halves whatever their headers hold. */}
        <colgroup>
          <col class="label" />
          <col />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th />
            <th>
              <RunHead run={left} />
            </th>
            <th>
              <RunHead run={right} />
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label} class={row.l !== row.r ? 'differs' : undefined}>
              <th scope="row">
                {row.label}
                {row.l !== row.r && <Differs />}
              </th>
              <td>{row.l}</td>
              <td>{row.r}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>
        Tool calls{' '}
        <span class="muted">({changed === 0 ? 'all the same' : `${changed} of ${steps.length} differ`})</span>
      </h2>
      <div class="steps">
        {steps.map((step, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the alignment is the identity
          <div key={index} class={`step-pair${step.inputDiffers || step.resultDiffers ? ' differs' : ''}`}>
            <StepSide call={step.left} />
            <div class="step-marks">
              {!step.left || !step.right ? (
                <span class="mark">{step.left ? 'only left' : 'only right'}</span>
              ) : (
                <>
                  {step.inputDiffers && <span class="mark">input differs</span>}
                  {step.resultDiffers && <span class="mark">result differs</span>}
                </>
              )}
            </div>
            <StepSide call={step.right} />
          </div>
        ))}
      </div>
      <h2>Output {(left.output ?? '') !== (right.output ?? '') && <Differs />}</h2>
      <WordDiff before={left.output ?? ''} after={right.output ?? ''} />
      <h2>Files</h2>
      <FilesCompare left={left} right={right} />
    </div>
  );
}

function Differs() {
  return <span class="mark">differs</span>;
}

function RunHead({ run }: { run: AgentRunDetail }) {
  return (
    <span class="run-head">
      <a href={href('runs', run.id)}>
        <code>{run.id}</code>
      </a>{' '}
      <StatusBadge status={run.status} />
      <span class="muted">{oneLine(run.input.message, 60)}</span>
    </span>
  );
}

function StepSide({ call }: { call: AgentRunDetail['toolCalls'][number] | undefined }) {
  if (!call) return <div class="step-side empty" />;
  return (
    <div class="step-side">
      <div>
        <span class="tool-name">{call.tool}</span> <code>{oneLine(JSON.stringify(call.input), 100)}</code>
      </div>
      <pre class={call.isError ? 'failed' : undefined}>
        {call.output.length > 1200 ? `${call.output.slice(0, 1200)}…` : call.output}
      </pre>
    </div>
  );
}

function FilesCompare({ left, right }: { left: AgentRunDetail; right: AgentRunDetail }) {
  const paths = [...new Set([...left.files.map((f) => f.path), ...right.files.map((f) => f.path)])].sort();
  if (paths.length === 0) return <p class="muted">Neither run changed a file.</p>;
  return (
    <div class="steps">
      {paths.map((path) => {
        const l = left.files.find((f) => f.path === path);
        const r = right.files.find((f) => f.path === path);
        const differs = l?.diff !== r?.diff || l?.change !== r?.change;
        return (
          <div key={path} class={`step-pair${differs ? ' differs' : ''}`}>
            <div class="step-side">
              {l ? (
                <FileSide path={path} change={l.change} diff={l.diff} />
              ) : (
                <span class="muted">not changed</span>
              )}
            </div>
            <div class="step-marks">{differs && <span class="mark">file differs</span>}</div>
            <div class="step-side">
              {r ? (
                <FileSide path={path} change={r.change} diff={r.diff} />
              ) : (
                <span class="muted">not changed</span>
              )}
            </div>
          </div>
        );
      })}
    </div>
  );
}

function FileSide({ path, change, diff }: { path: string; change: string; diff: string }) {
  return (
    <details>
      <summary>
        <span class={`change change-${change}`}>{change}</span> <code>{path}</code>
      </summary>
      <UnifiedDiff diff={diff} />
    </details>
  );
}

/** Pick two runs when the address names fewer. */
function ComparePicker({ a, b }: { a: string; b: string }) {
  const client = useClient();
  const recent = useLoad(() => client.runs.list({ limit: 50 }), []);
  const [left, setLeft] = useState(a);
  const [right, setRight] = useState(b);
  const options = recent.data?.data ?? [];
  const pick = (value: string, set: (v: string) => void, label: string) => (
    <label>
      {label}
      <select value={value} onChange={(e) => set(e.currentTarget.value)}>
        <option value="">choose a run</option>
        {options.map((run) => (
          <option key={run.id} value={run.id}>
            {run.id} · {run.status} · {oneLine(run.input.message, 50)}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div class="view">
      <h1>Compare two runs</h1>
      <p class="muted">Or tick two runs in the runs list. Rerun and Replay on a run open this view too.</p>
      <ErrorNote error={recent.error} />
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (left && right) navigate(href('compare', left, right));
        }}
      >
        {pick(left, setLeft, 'Left')}
        {pick(right, setRight, 'Right')}
        <button type="submit" disabled={!left || !right}>
          Compare
        </button>
      </form>
    </div>
  );
}

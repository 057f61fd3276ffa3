import type { AgentRunData, ModelConfig } from '../../api/types.js';
import { href } from '../router.js';
import { StatusBadge } from '../ui/bits.js';
import { cost, duration, model, oneLine, tokens, totalTokens, when } from '../ui/format.js';

interface Props {
  runs: AgentRunData[];
  models: Map<string, ModelConfig>;
  selected: string[];
  onSelect(id: string, on: boolean): void;
}

export function RunsTable({ runs, models, selected, onSelect }: Props) {
  if (runs.length === 0) return null;
  return (
    <table class="runs">
      <thead>
        <tr>
          <th aria-label="select" />
          <th>Started</th>
          <th>Status</th>
          <th>Message</th>
          <th>Deployment</th>
          <th>Runtime</th>
          <th>Model</th>
          <th class="num">Turns</th>
          <th class="num">Tokens</th>
          <th class="num">Cost</th>
          <th class="num">Duration</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} data-run={run.id}>
            <td>
              <input
                type="checkbox"
                aria-label={`select ${run.id}`}
                checked={selected.includes(run.id)}
                onChange={(e) => onSelect(run.id, e.currentTarget.checked)}
              />
            </td>
            <td class="nowrap">{when(run.createdAt)}</td>
            <td>
              <StatusBadge status={run.status} />
              {run.queuePosition !== null && <span class="muted"> #{run.queuePosition}</span>}
            </td>
            <td class="message">
              <a href={href('runs', run.id)}>{oneLine(run.input.message, 90)}</a>
            </td>
            <td>{run.deployment}</td>
            <td class="nowrap">
              {run.runtimeSlug} v{run.runtimeVersion ?? '–'}
              {run.input.systemPrompt !== undefined && (
                <span class="tag" title="ran a draft prompt">
                  draft
                </span>
              )}
            </td>
            <td class="model">{model(models.get(run.id))}</td>
            <td class="num">{run.turns}</td>
            <td class="num">{tokens(totalTokens(run.usage))}</td>
            <td class="num">{cost(run.usage.costUsd)}</td>
            <td class="num">{duration(run.durationMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

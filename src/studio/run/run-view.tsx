import { isTerminal } from '../../api/types.js';
import { href } from '../router.js';
import { ErrorNote, Loading, StatusBadge } from '../ui/bits.js';
import { cost, duration, model, tokens, when } from '../ui/format.js';
import { useClient, useLoad } from '../ui/hooks.js';
import { versionsOf } from '../ui/versions.js';
import { RunActions } from './run-actions.js';
import { RunControls } from './run-controls.js';
import { RunFiles } from './run-files.js';
import { Timeline } from './timeline.js';
import { useRun } from './use-run.js';

/** One run: what it was asked, how it stands, its timeline, its controls and its files. */
export function RunView({ id }: { id: string }) {
  const client = useClient();
  const live = useRun(client, id);
  const { run } = live;
  const version = useLoad(
    async () =>
      run?.runtimeVersion
        ? (await versionsOf(client, run.runtimeSlug, run.runtimeVersion)).find(
            (v) => v.version === run.runtimeVersion,
          )
        : undefined,
    [run?.runtimeSlug, run?.runtimeVersion],
  );
  if (live.error) return <ErrorNote error={live.error} />;
  if (!run) return <Loading what={`run ${id}`} />;
  const status = live.status ?? run.status;
  const ended = isTerminal(status);
  return (
    <div class="view run-view">
      <header class="view-head">
        <div>
          <p class="crumbs">
            <a href={href('runs')}>Runs</a> / <code>{run.id}</code>
          </p>
          <h1 class="run-message">{run.input.message}</h1>
        </div>
        <RunActions run={run} ended={ended} />
      </header>
      <dl class="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={status} />
            {status === 'queued' && live.queuePosition !== undefined && <> #{live.queuePosition} in line</>}
          </dd>
        </div>
        <div>
          <dt>Deployment</dt>
          <dd>
            <a href={href('deployments', run.deployment)}>{run.deployment}</a>
          </dd>
        </div>
        <div>
          <dt>Runtime</dt>
          <dd>
            <a href={href('runtimes', run.runtimeSlug)}>
              {run.runtimeSlug} v{run.runtimeVersion ?? '–'}
            </a>
            {run.input.systemPrompt !== undefined && <span class="tag">draft prompt</span>}
          </dd>
        </div>
        <div>
          <dt>Model</dt>
          <dd>{model(run.input.model ?? version.data?.model)}</dd>
        </div>
        <div>
          <dt>Turns</dt>
          <dd>{run.turns}</dd>
        </div>
        <div>
          <dt>Tokens</dt>
          <dd>
            {tokens(run.usage.inputTokens)} in · {tokens(run.usage.outputTokens)} out
          </dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd>{cost(run.usage.costUsd)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{duration(run.durationMs)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{when(run.createdAt)}</dd>
        </div>
      </dl>
      {run.error && (
        <p class="error-note" role="alert">
          {run.error}
        </p>
      )}
      {!ended && <RunControls id={run.id} status={status} reason={live.reason} />}
      <div class="run-columns">
        <Timeline items={live.builder.items} />
        <RunFiles run={run} ended={ended} />
      </div>
    </div>
  );
}

import { useState } from 'preact/hooks';
import type { AgentRunDetail, RunExport } from '../../api/contract.js';
import type { Client } from '../api/client.js';
import { href, navigate } from '../router.js';
import { ErrorNote } from '../ui/bits.js';
import { useClient } from '../ui/hooks.js';
import { versionsOf } from '../ui/versions.js';

/** Export, rerun (same input, current version, real model) and replay (recorded turns, tools for real). */
export function RunActions({ run, ended }: { run: AgentRunDetail; ended: boolean }) {
  const client = useClient();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const act = (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    action()
      .catch((failure: unknown) => setError(failure as Error))
      .finally(() => setBusy(false));
  };
  const canReplay = ended && run.runtimeVersion !== null;
  return (
    <div class="actions">
      <button
        type="button"
        disabled={busy}
        title="Send the same input again to the current runtime version, then compare"
        onClick={() =>
          act(async () => {
            const next = await client.runs.start(run.deployment, {
              message: run.input.message,
              mounts: run.input.mounts,
              context: run.input.context,
            });
            navigate(href('compare', run.id, next));
          })
        }
      >
        Rerun
      </button>
      <button
        type="button"
        disabled={busy || !canReplay}
        title={
          canReplay
            ? 'Play the recorded model turns again with real tools, then compare'
            : 'Replay a run once it has ended'
        }
        onClick={() =>
          act(async () => {
            const next = await client.runs.start(run.deployment, {
              message: run.input.message,
              mounts: run.input.mounts,
              context: run.input.context,
              model: { provider: 'replay', run: run.id },
              ...(run.input.systemPrompt !== undefined ? { systemPrompt: run.input.systemPrompt } : {}),
              runtimeVersion: run.runtimeVersion ?? undefined,
            });
            navigate(href('compare', run.id, next));
          })
        }
      >
        Replay
      </button>
      <button
        type="button"
        disabled={busy || !ended}
        title={
          ended
            ? 'Download the run as a JSON file (runtools runs import reads it)'
            : 'Export a run once it has ended'
        }
        onClick={() => act(() => download(client, run))}
      >
        Export
      </button>
      <ErrorNote error={error} />
    </div>
  );
}

/** The same document `runtools runs export` writes: the run, its runtime version, its deployment. */
async function download(client: Client, run: AgentRunDetail): Promise<void> {
  if (run.runtimeVersion === null)
    throw new Error('this run ended before it started, so there is nothing to export');
  const [versions, deployment] = await Promise.all([
    versionsOf(client, run.runtimeSlug, run.runtimeVersion),
    client.deployments.get(run.deployment),
  ]);
  const runtime = versions.find((v) => v.version === run.runtimeVersion);
  if (!runtime) throw new Error(`version ${run.runtimeVersion} of ${run.runtimeSlug} is gone`);
  const { apiEndpoint: _e, createdAt: _c, updatedAt: _u, source: _s, ...settings } = deployment;
  const bundle: RunExport = {
    format: 'runtools.run/v1',
    exportedAt: new Date().toISOString(),
    run,
    runtime,
    deployment: settings,
  };
  const url = URL.createObjectURL(new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${run.id}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

import { useState } from 'preact/hooks';
import type { AgentDeploymentData, ModelConfig, Mount } from '../../api/types.js';
import { href, navigate } from '../router.js';
import { ErrorNote, Section } from '../ui/bits.js';
import { useClient, useLoad } from '../ui/hooks.js';

/** Start a run with everything a run request takes: message, mounts, model, runtime version, stepping. */
export function StartRunForm({ deployment }: { deployment: AgentDeploymentData }) {
  const client = useClient();
  const workspaces = useLoad(() => client.workspaces.list(), []);
  const versions = useLoad(() => client.runtimes.versions(deployment.runtimeSlug), [deployment.runtimeSlug]);
  const [message, setMessage] = useState('');
  const [mounts, setMounts] = useState<Mount[]>([]);
  const [model, setModel] = useState('');
  const [version, setVersion] = useState('');
  const [pauseBeforeTools, setPause] = useState(false);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  const submit = (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    (async () => {
      let override: ModelConfig | undefined;
      const text = model.trim();
      if (text) override = text.startsWith('{') ? (JSON.parse(text) as ModelConfig) : text;
      const id = await client.runs.start(deployment.apiSlug, {
        message,
        mounts: mounts.filter((m) => m.workspaceId && m.path),
        ...(override ? { model: override } : {}),
        ...(version ? { runtimeVersion: Number(version) } : {}),
        pauseBeforeTools,
      });
      navigate(href('runs', id));
    })()
      .catch((failure: unknown) => setError(failure as Error))
      .finally(() => setBusy(false));
  };

  const setMount = (index: number, patch: Partial<Mount>) =>
    setMounts((now) => now.map((m, i) => (i === index ? { ...m, ...patch } : m)));

  return (
    <Section title="Start a run">
      <form class="start-run" onSubmit={submit}>
        <label class="stack">
          Message
          <textarea
            rows={3}
            value={message}
            onInput={(e) => setMessage(e.currentTarget.value)}
            placeholder="What the agent should do"
          />
        </label>
        <fieldset>
          <legend>Mounts (besides the deployment's)</legend>
          {mounts.map((mount, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows of a form the person edits in place
            <div class="row" key={index}>
              <select
                aria-label="Workspace"
                value={mount.workspaceId}
                onChange={(e) => setMount(index, { workspaceId: e.currentTarget.value })}
              >
                <option value="">workspace</option>
                {workspaces.data?.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.id}
                  </option>
                ))}
              </select>
              <input
                aria-label="Path in the sandbox"
                placeholder="/libs"
                value={mount.path}
                onInput={(e) => setMount(index, { path: e.currentTarget.value })}
              />
              <label>
                <input
                  type="checkbox"
                  checked={mount.readOnly ?? false}
                  onChange={(e) => setMount(index, { readOnly: e.currentTarget.checked })}
                />{' '}
                read-only
              </label>
              <button
                type="button"
                class="link"
                onClick={() => setMounts((now) => now.filter((_, i) => i !== index))}
              >
                remove
              </button>
            </div>
          ))}
          <button
            type="button"
            class="link"
            onClick={() => setMounts((now) => [...now, { workspaceId: '', path: '' }])}
          >
            + add a mount
          </button>
        </fieldset>
        <div class="row">
          <label class="grow">
            Model override
            <input
              value={model}
              onInput={(e) => setModel(e.currentTarget.value)}
              placeholder="the runtime's (or a name like claude-sonnet-4-5, or JSON)"
            />
          </label>
          <label>
            Runtime version
            <select value={version} onChange={(e) => setVersion(e.currentTarget.value)}>
              <option value="">current</option>
              {versions.data?.map((v) => (
                <option key={v.version} value={String(v.version)}>
                  v{v.version}
                </option>
              ))}
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              checked={pauseBeforeTools}
              onChange={(e) => setPause(e.currentTarget.checked)}
            />{' '}
            Pause before each tool
          </label>
        </div>
        <ErrorNote error={error} />
        <button type="submit" class="primary" disabled={busy || !message.trim()}>
          Start run
        </button>
      </form>
    </Section>
  );
}

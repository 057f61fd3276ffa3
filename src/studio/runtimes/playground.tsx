import { useEffect, useState } from 'preact/hooks';
import type { AgentRuntimeData, ModelConfig } from '../../api/types.js';
import { href } from '../router.js';
import { Timeline } from '../run/timeline.js';
import { useRun } from '../run/use-run.js';
import { ErrorNote, Section, StatusBadge } from '../ui/bits.js';
import { useClient, useLoad } from '../ui/hooks.js';

const modelText = (config: ModelConfig) => (typeof config === 'string' ? config : JSON.stringify(config));

function parseModel(text: string): ModelConfig {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  try {
    return JSON.parse(trimmed) as ModelConfig;
  } catch (error) {
    throw new Error(
      `the model is not valid JSON (${(error as Error).message}); write a name like "claude-opus-4-5" or a JSON object`,
    );
  }
}

type Saved = { kind: 'file'; file: string; version?: number } | { kind: 'version'; version: number };

/**
 * Try a prompt (and model) on a message without making a version: the run carries the draft as a
 * run-level override. Then compare with the run before it, and save: as a new version, or, for a
 * runtime from runtools.config.ts, into its prompt file (the server then makes the version).
 */
export function Playground({
  runtime,
  initialMessage,
  onSaved,
}: {
  runtime: AgentRuntimeData;
  initialMessage: string;
  onSaved(): void;
}) {
  const client = useClient();
  const [draft, setDraft] = useState(runtime.systemPrompt);
  const [modelDraft, setModelDraft] = useState(modelText(runtime.model));
  const [message, setMessage] = useState(initialMessage);
  const [deployment, setDeployment] = useState('');
  const [runs, setRuns] = useState<{ previous?: string; draft: string }>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<Saved>();
  const deployments = useLoad(() => client.deployments.list(), []);
  const mine = deployments.data?.filter((d) => d.runtimeSlug === runtime.slug) ?? [];
  const chosen = deployment || mine[0]?.apiSlug || '';
  const modelChanged = modelDraft.trim() !== modelText(runtime.model);
  const promptChanged = draft !== runtime.systemPrompt;

  // A new version (from the file watcher, or a save) becomes the new starting point unless edited.
  useEffect(() => {
    if (!promptChanged) setDraft(runtime.systemPrompt);
  }, [runtime.systemPrompt]);

  const act = (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    action()
      .catch((failure: unknown) => setError(failure as Error))
      .finally(() => setBusy(false));
  };

  const runDraft = () =>
    act(async () => {
      if (!chosen) throw new Error(`no deployment uses runtime ${runtime.slug}; create one to run it`);
      const before = await client.runs.list({ deployment: chosen, limit: 1 });
      const id = await client.runs.start(chosen, {
        message,
        systemPrompt: draft,
        ...(modelChanged ? { model: parseModel(modelDraft) } : {}),
      });
      setRuns({ previous: before.data[0]?.id, draft: id });
      setSaved(undefined);
    });

  const saveToFile = () =>
    act(async () => {
      const { file } = await client.runtimes.writePromptFile(runtime.slug, draft);
      setSaved({ kind: 'file', file });
      // The config watcher makes the version; show it once it is there.
      const from = runtime.version;
      for (let i = 0; i < 50; i++) {
        const versions = await client.runtimes.versions(runtime.slug);
        const made = versions.find((v) => v.version > from && v.systemPrompt === draft);
        if (made) {
          setSaved({ kind: 'file', file, version: made.version });
          onSaved();
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    });

  const saveAsVersion = () =>
    act(async () => {
      await client.runtimes.update(runtime.slug, {
        systemPrompt: draft,
        ...(modelChanged ? { model: parseModel(modelDraft) } : {}),
      });
      const version = await client.runtimes.createVersion(runtime.slug);
      setSaved({ kind: 'version', version: version.version });
      onSaved();
    });

  return (
    <Section title="Prompt playground">
      <div class="playground">
        <label class="stack">
          System prompt {promptChanged && <span class="tag">edited</span>}
          <textarea
            rows={10}
            value={draft}
            onInput={(e) => setDraft(e.currentTarget.value)}
            aria-label="System prompt"
          />
        </label>
        <div class="row">
          <label class="grow">
            Model
            <input
              value={modelDraft}
              onInput={(e) => setModelDraft(e.currentTarget.value)}
              aria-label="Model"
            />
          </label>
          <label>
            Deployment
            <select value={chosen} onChange={(e) => setDeployment(e.currentTarget.value)}>
              {mine.map((d) => (
                <option key={d.apiSlug} value={d.apiSlug}>
                  {d.apiSlug}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label class="stack">
          Message
          <input
            value={message}
            onInput={(e) => setMessage(e.currentTarget.value)}
            aria-label="Message"
            placeholder="What the agent should do"
          />
        </label>
        <div class="row">
          <button
            type="button"
            class="primary"
            disabled={busy || !message.trim() || !chosen}
            onClick={runDraft}
          >
            Run draft
          </button>
          {runtime.source === 'config' ? (
            <button
              type="button"
              disabled={busy || !promptChanged}
              onClick={saveToFile}
              title="Write the prompt into the file runtools.config.ts names; the server then makes the version"
            >
              Save to prompt file
            </button>
          ) : (
            <button
              type="button"
              disabled={busy || (!promptChanged && !modelChanged)}
              onClick={saveAsVersion}
            >
              Save as new version
            </button>
          )}
          {runtime.source === 'config' && modelChanged && (
            <span class="muted">
              The model of a config runtime is set in runtools.config.ts; a changed model is tried, not saved.
            </span>
          )}
        </div>
        <ErrorNote error={error} />
        {saved && (
          <p class="saved" role="status">
            {saved.kind === 'file'
              ? saved.version
                ? `Saved to ${saved.file}; the server made v${saved.version}.`
                : `Saved to ${saved.file}; waiting for the server to make the version…`
              : `Saved as v${saved.version}.`}
          </p>
        )}
        {runs && <DraftRun id={runs.draft} previous={runs.previous} />}
      </div>
    </Section>
  );
}

function DraftRun({ id, previous }: { id: string; previous: string | undefined }) {
  const client = useClient();
  const live = useRun(client, id);
  const status = live.status ?? live.run?.status;
  return (
    <section class="draft-run" aria-label="Draft run">
      <p>
        Draft run{' '}
        <a href={href('runs', id)}>
          <code>{id}</code>
        </a>{' '}
        {status && <StatusBadge status={status} />}{' '}
        {previous ? (
          <a href={href('compare', previous, id)}>Compare with the previous run</a>
        ) : (
          <span class="muted">(no earlier run of this deployment to compare with)</span>
        )}
      </p>
      <ErrorNote error={live.error} />
      <Timeline items={live.builder.items} />
    </section>
  );
}

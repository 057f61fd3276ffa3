import { useState } from 'preact/hooks';
import type { RuntimeVersion } from '../../api/types.js';
import { WordDiff } from '../compare/word-diff.js';
import { href } from '../router.js';
import { ErrorNote, Loading, Section } from '../ui/bits.js';
import { model, when } from '../ui/format.js';
import { useClient, useLoad } from '../ui/hooks.js';
import { Playground } from './playground.js';

/** One runtime: its versions (with rollback), a word diff of any two prompts, and the playground. */
export function RuntimeDetail({ slug, query }: { slug: string; query: URLSearchParams }) {
  const client = useClient();
  const runtime = useLoad(() => client.runtimes.get(slug), [slug], 2_000);
  const versions = useLoad(() => client.runtimes.versions(slug), [slug], 2_000);
  const [error, setError] = useState<Error>();
  if (!runtime.data) return runtime.error ? <ErrorNote error={runtime.error} /> : <Loading what={slug} />;
  const rt = runtime.data;
  const list = [...(versions.data ?? [])].sort((x, y) => y.version - x.version);
  const rollback = (version: number) => {
    setError(undefined);
    client.runtimes.rollback(slug, version).then(
      () => {
        runtime.reload();
        versions.reload();
      },
      (failure: unknown) => setError(failure as Error),
    );
  };
  return (
    <div class="view">
      <header class="view-head">
        <div>
          <p class="crumbs">
            <a href={href('runtimes')}>Runtimes</a> / {slug}
          </p>
          <h1>
            {rt.name} <span class="muted">v{rt.version}</span>
          </h1>
        </div>
      </header>
      <dl class="facts">
        <div>
          <dt>Model</dt>
          <dd>{model(rt.model)}</dd>
        </div>
        <div>
          <dt>Tools</dt>
          <dd>{rt.tools.join(', ') || '–'}</dd>
        </div>
        <div>
          <dt>Max turns</dt>
          <dd>{rt.maxTurns}</dd>
        </div>
        <div>
          <dt>From</dt>
          <dd>{rt.source === 'config' ? 'runtools.config.ts' : 'the API'}</dd>
        </div>
      </dl>
      <Playground
        runtime={rt}
        initialMessage={query.get('message') ?? ''}
        onSaved={() => {
          runtime.reload();
          versions.reload();
        }}
      />
      <Section title={`Versions (${list.length})`}>
        <ErrorNote error={error} />
        <table class="runs">
          <thead>
            <tr>
              <th>Version</th>
              <th>Made</th>
              <th>Why</th>
              <th>Model</th>
              <th>Tools</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((v) => (
              <tr key={v.version}>
                <td>v{v.version}</td>
                <td class="nowrap">{when(v.createdAt)}</td>
                <td>{v.reason}</td>
                <td class="model">{model(v.model)}</td>
                <td>{v.tools.join(', ')}</td>
                <td>
                  {v.version !== rt.version && (
                    <button
                      type="button"
                      onClick={() => rollback(v.version)}
                      title={`Make v${v.version}'s config current again (a new version)`}
                    >
                      Roll back to v{v.version}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      {list.length > 0 && <PromptDiff versions={list} />}
    </div>
  );
}

function PromptDiff({ versions }: { versions: RuntimeVersion[] }) {
  // Until the person picks, the newest version against the one before it (a new version moves both).
  const [picked, setPicked] = useState<{ from?: number; to?: number }>({});
  const newest = versions[0]!.version;
  const from = picked.from ?? versions[1]?.version ?? newest;
  const to = picked.to ?? newest;
  const setFrom = (n: number) => setPicked((now) => ({ ...now, from: n }));
  const setTo = (n: number) => setPicked((now) => ({ ...now, to: n }));
  const a = versions.find((v) => v.version === from) ?? versions[0]!;
  const b = versions.find((v) => v.version === to) ?? versions[0]!;
  const select = (value: number, set: (n: number) => void, label: string) => (
    <label>
      {label}
      <select value={String(value)} onChange={(e) => set(Number(e.currentTarget.value))}>
        {versions.map((v) => (
          <option key={v.version} value={String(v.version)}>
            v{v.version}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <Section
      title="Prompt diff"
      actions={
        <div class="filters">
          {select(from, setFrom, 'From')}
          {select(to, setTo, 'To')}
        </div>
      }
    >
      {model(a.model) !== model(b.model) && (
        <p>
          Model: <del>{model(a.model)}</del> → <ins>{model(b.model)}</ins>
        </p>
      )}
      <WordDiff before={a.systemPrompt} after={b.systemPrompt} />
    </Section>
  );
}

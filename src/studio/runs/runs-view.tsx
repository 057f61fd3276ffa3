import { useEffect, useRef, useState } from 'preact/hooks';
import { RUN_STATUSES } from '../../api/types.js';
import { href, navigate } from '../router.js';
import { ErrorNote, Loading } from '../ui/bits.js';
import { useClient, useLoad } from '../ui/hooks.js';
import { useRunModels } from '../ui/versions.js';
import { RunsTable } from './runs-table.js';

const PAGE_SIZE = 50;
/** The first page is live: new runs and status changes show up within this. */
const POLL_MS = 1_000;

/** All runs, newest first, filtered by deployment, status and text; the first page updates live. */
export function RunsView({ query }: { query: URLSearchParams }) {
  const client = useClient();
  const deployment = query.get('deployment') ?? '';
  const status = query.get('status') ?? '';
  const q = query.get('q') ?? '';
  const cursor = query.get('cursor') ?? '';
  const [selected, setSelected] = useState<string[]>([]);
  const deployments = useLoad(() => client.deployments.list(), []);
  const page = useLoad(
    () =>
      client.runs.list({
        limit: PAGE_SIZE,
        deployment: deployment || undefined,
        status: (status || undefined) as never,
        q: q || undefined,
        cursor: cursor || undefined,
      }),
    [deployment, status, q, cursor],
    cursor ? undefined : POLL_MS,
  );
  const models = useRunModels(client, page.data?.data);
  const set = (name: string, value: string) =>
    navigate(
      href('runs', { deployment, status, q, [name]: value, cursor: name === 'cursor' ? value : undefined }),
    );

  return (
    <div class="view">
      <header class="view-head">
        <h1>Runs</h1>
        <div class="filters">
          <label>
            Deployment
            <select value={deployment} onChange={(e) => set('deployment', e.currentTarget.value)}>
              <option value="">all</option>
              {deployments.data?.map((d) => (
                <option key={d.apiSlug} value={d.apiSlug}>
                  {d.apiSlug}
                </option>
              ))}
            </select>
          </label>
          <label>
            Status
            <select value={status} onChange={(e) => set('status', e.currentTarget.value)}>
              <option value="">all</option>
              {RUN_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.replace('_', ' ')}
                </option>
              ))}
            </select>
          </label>
          <SearchBox value={q} onChange={(value) => set('q', value)} />
        </div>
      </header>
      <div class="toolbar">
        <button
          type="button"
          disabled={selected.length !== 2}
          onClick={() => navigate(href('compare', selected[1]!, selected[0]!))}
          title="Tick two runs to compare them"
        >
          Compare selected ({selected.length}/2)
        </button>
        <span class="spacer" />
        {cursor && (
          <button type="button" onClick={() => set('cursor', '')}>
            ← Newest
          </button>
        )}
        <button
          type="button"
          disabled={!page.data?.nextCursor}
          onClick={() => set('cursor', page.data?.nextCursor ?? '')}
        >
          Older →
        </button>
      </div>
      <ErrorNote error={page.error} />
      {!page.data && !page.error && <Loading what="runs" />}
      {page.data && (
        <RunsTable
          runs={page.data.data}
          models={models}
          selected={selected}
          onSelect={(id, on) =>
            setSelected((now) =>
              on ? [...now.filter((x) => x !== id), id].slice(-2) : now.filter((x) => x !== id),
            )
          }
        />
      )}
      {page.data?.data.length === 0 && (
        <p class="muted">
          {deployment || status || q ? (
            'No run matches these filters.'
          ) : (
            <>
              No runs yet. Start one from <a href={href('deployments')}>Deployments</a>, or in a terminal:{' '}
              <code>npx runtools run demo "Create a todo app"</code>
            </>
          )}
        </p>
      )}
    </div>
  );
}

/** Filters as the person types, without a request per keystroke. */
function SearchBox({ value, onChange }: { value: string; onChange(value: string): void }) {
  const [text, setText] = useState(value);
  // The newest onChange: it carries the other filters as they are when the timer fires, not as
  // they were when the person typed (a status picked meanwhile would be undone).
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => latest.current(text), 200);
    return () => clearTimeout(timer);
  }, [text]);
  return (
    <label>
      Search
      <input
        type="search"
        placeholder="text in the message or id"
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
      />
    </label>
  );
}

import { href } from '../router.js';
import { ErrorNote, Loading } from '../ui/bits.js';
import { model } from '../ui/format.js';
import { useClient, useLoad } from '../ui/hooks.js';
import { RuntimeDetail } from './runtime-detail.js';

/** Every runtime, or one with its versions, prompt diffs and playground. */
export function RuntimesView({ slug, query }: { slug: string | undefined; query: URLSearchParams }) {
  if (slug) return <RuntimeDetail slug={slug} query={query} />;
  return <RuntimeList />;
}

function RuntimeList() {
  const client = useClient();
  const runtimes = useLoad(() => client.runtimes.list(), [], 3_000);
  return (
    <div class="view">
      <header class="view-head">
        <h1>Runtimes</h1>
      </header>
      <ErrorNote error={runtimes.error} />
      {!runtimes.data && <Loading what="runtimes" />}
      <table class="runs">
        <thead>
          <tr>
            <th>Runtime</th>
            <th>Version</th>
            <th>Model</th>
            <th>Tools</th>
            <th>From</th>
          </tr>
        </thead>
        <tbody>
          {runtimes.data?.map((runtime) => (
            <tr key={runtime.slug}>
              <td>
                <a href={href('runtimes', runtime.slug)}>{runtime.slug}</a>{' '}
                <span class="muted">{runtime.name}</span>
              </td>
              <td>
                v{runtime.version}
                {runtime.hasUnversionedChanges && <span class="tag">unversioned changes</span>}
              </td>
              <td class="model">{model(runtime.model)}</td>
              <td>{runtime.tools.join(', ') || '–'}</td>
              <td>{runtime.source === 'config' ? 'runtools.config.ts' : 'API'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import { useState } from 'preact/hooks';
import type { AgentRunData } from '../../api/types.js';
import { ErrorNote, Section, UnifiedDiff } from '../ui/bits.js';
import { useClient, useLoad } from '../ui/hooks.js';

/** What the run changed (with diffs) and its files, browsable during and after the run. */
export function RunFiles({ run, ended }: { run: AgentRunData; ended: boolean }) {
  return (
    <aside class="side">
      <Section title={`Changes (${run.files.length})`}>
        {run.files.length === 0 && <p class="muted">{ended ? 'No file changed.' : 'No change yet.'}</p>}
        {run.files.map((file) => (
          <details key={file.path} class="change-entry">
            <summary>
              <span class={`change change-${file.change}`}>{file.change}</span> <code>{file.path}</code>
            </summary>
            <UnifiedDiff diff={file.diff} />
          </details>
        ))}
      </Section>
      <FileBrowser runId={run.id} live={!ended} />
    </aside>
  );
}

function FileBrowser({ runId, live }: { runId: string; live: boolean }) {
  const client = useClient();
  const [dir, setDir] = useState<string | undefined>(undefined);
  const [open, setOpen] = useState<{ path: string; content?: string; error?: Error }>();
  const listing = useLoad(() => client.runs.files(runId, dir), [runId, dir], live ? 3_000 : undefined);
  const read = (path: string) => {
    setOpen({ path });
    client.runs.file(runId, path).then(
      (content) => setOpen({ path, content }),
      (error: unknown) => setOpen({ path, error: error as Error }),
    );
  };
  const parent = listing.data?.[0]?.path.replace(/\/[^/]+$/, '') ?? dir;
  return (
    <Section title="Files">
      <p class="muted">
        <code>{parent || '/'}</code>{' '}
        {dir !== undefined && (
          <button type="button" class="link" onClick={() => setDir(parent?.replace(/\/[^/]+$/, '') || '/')}>
            up
          </button>
        )}
      </p>
      <ErrorNote error={listing.error} />
      <ul class="file-list">
        {listing.data?.map((entry) => (
          <li key={entry.path}>
            {entry.type === 'directory' ? (
              <button type="button" class="link" onClick={() => setDir(entry.path)}>
                {entry.name}/
              </button>
            ) : (
              <button type="button" class="link" onClick={() => read(entry.path)}>
                {entry.name}
              </button>
            )}
            <span class="muted"> {entry.type === 'file' ? `${entry.size} B` : ''}</span>
          </li>
        ))}
      </ul>
      {open && (
        <section class="file-view" aria-label={`file ${open.path}`}>
          <p>
            <code>{open.path}</code>
          </p>
          <ErrorNote error={open.error} />
          {open.content !== undefined && <pre>{open.content}</pre>}
        </section>
      )}
    </Section>
  );
}

import type { ComponentChildren } from 'preact';
import type { AgentRunStatus } from '../../api/types.js';

export function StatusBadge({ status }: { status: AgentRunStatus }) {
  return <span class={`badge status-${status}`}>{status.replace('_', ' ')}</span>;
}

/** A failed request, as the server worded it (its messages say what to do). */
export function ErrorNote({ error }: { error: Error | undefined }) {
  if (!error) return null;
  return (
    <p class="error-note" role="alert">
      {error.message}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return <p class="muted">Loading {what}…</p>;
}

/** A unified diff, line by line: additions green, removals red, hunk headers dim. */
export function UnifiedDiff({ diff }: { diff: string }) {
  const lines = diff.replace(/\n$/, '').split('\n');
  return (
    <pre class="diff">
      {lines.map((line, i) => {
        const kind =
          line.startsWith('+++') ||
          line.startsWith('---') ||
          line.startsWith('Index:') ||
          line.startsWith('====')
            ? 'meta'
            : line.startsWith('@@')
              ? 'hunk'
              : line.startsWith('+')
                ? 'add'
                : line.startsWith('-')
                  ? 'del'
                  : 'ctx';
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines of a fixed text
          <span key={i} class={`diff-${kind}`}>
            {line}
            {'\n'}
          </span>
        );
      })}
    </pre>
  );
}

export function Section({
  title,
  children,
  actions,
}: {
  title: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <section class="panel" aria-label={title}>
      <header class="panel-head">
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

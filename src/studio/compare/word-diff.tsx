import { diffWords } from 'diff';

/** Two texts as one, words removed struck through and words added marked. */
export function WordDiff({ before, after }: { before: string; after: string }) {
  if (before === after) return <pre class="word-diff">{after || <span class="muted">(empty)</span>}</pre>;
  const parts = diffWords(before, after);
  return (
    <pre class="word-diff">
      {parts.map((part, i) =>
        part.added ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of a fixed diff
          <ins key={i}>{part.value}</ins>
        ) : part.removed ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of a fixed diff
          <del key={i}>{part.value}</del>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of a fixed diff
          <span key={i}>{part.value}</span>
        ),
      )}
    </pre>
  );
}

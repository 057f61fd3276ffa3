/** Text helpers for the terminal renderers. */

/** At most `maxLines` lines of at most `maxWidth` characters; says how much was left out. */
export function shorten(text: string, maxLines: number, maxWidth = 160): { lines: string[]; hidden: number } {
  const all = text.replace(/\n+$/, '').split('\n');
  const lines = all
    .slice(0, maxLines)
    .map((line) => (line.length > maxWidth ? `${line.slice(0, maxWidth - 1)}…` : line));
  return { lines, hidden: all.length - lines.length };
}

/** The text on one line, cut to `max` characters. */
export function oneLine(text: string, max = 120): string {
  const flat = text.replace(/\s*\n\s*/g, ' ⏎ ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

/** 1.2 s, 3 min 4 s. */
export function duration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

export function cost(usd: number | null): string {
  if (usd === null) return 'cost unknown';
  return `$${usd < 0.01 && usd > 0 ? usd.toFixed(4) : usd.toFixed(2)}`;
}

/** 1234 -> 1,234. */
export const count = (n: number): string => n.toLocaleString('en-US');

/** Removes ANSI escapes (for width math and for tests). */
export const stripAnsi = (text: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the escape character is the point
  text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

import { stripAnsi } from './text.js';

/** Rows of `label | left | right`, each cell wrapped to its column. */
export function sideBySide(
  headers: [string, string],
  rows: { label: string; left: string; right: string }[],
  width = process.stdout.columns ?? 120,
): string {
  const labelWidth = Math.max(...rows.map((r) => r.label.length), 5) + 2;
  const column = Math.max(24, Math.floor((width - labelWidth - 3) / 2));
  const lines = [row('', headers[0], headers[1], labelWidth, column)];
  lines.push(`${'─'.repeat(labelWidth)}${'─'.repeat(column + 3)}${'─'.repeat(column)}`);
  for (const r of rows) lines.push(row(r.label, r.left, r.right, labelWidth, column));
  return lines.join('\n');
}

function row(label: string, left: string, right: string, labelWidth: number, column: number): string {
  const a = wrap(left, column);
  const b = wrap(right, column);
  const height = Math.max(a.length, b.length);
  const out: string[] = [];
  for (let i = 0; i < height; i++) {
    const cell = a[i] ?? '';
    const pad = ' '.repeat(Math.max(0, column - stripAnsi(cell).length));
    out.push(`${(i === 0 ? label : '').padEnd(labelWidth)}${cell}${pad} │ ${b[i] ?? ''}`.trimEnd());
  }
  return out.join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    let rest = raw;
    while (stripAnsi(rest).length > width) {
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    lines.push(rest);
  }
  return lines;
}

import { readFileSync } from 'node:fs';

/** Where in a file something went wrong. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * Finds `file:line:col` for `file` in an error's message or stack (jiti reports a syntax error as
 * "ParseError: ... \n <file>:5:16"; an error thrown while the config runs has it in its stack).
 */
export function locationIn(error: unknown, file: string): SourceLocation | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`${escaped}:(\\d+):(\\d+)`);
  const inMessage = pattern.exec(message);
  // The parser (Babel, inside jiti) counts columns from 0; editors and V8 stacks from 1.
  if (inMessage) return { file, line: Number(inMessage[1]), column: Number(inMessage[2]) + 1 };
  const inStack = error instanceof Error && error.stack ? pattern.exec(error.stack) : null;
  if (!inStack) return undefined;
  return { file, line: Number(inStack[1]), column: Number(inStack[2]) };
}

/**
 * A few lines around `line` with a caret under `column`, as compilers print them:
 *
 *     4 |   runtimes: [
 *   > 5 |     { slug: 'a' model: 'x' },
 *       |                 ^
 */
export function codeFrame(source: string, line: number, column: number, around = 2): string {
  const lines = source.split(/\r?\n/);
  const first = Math.max(1, line - around);
  const last = Math.min(lines.length, line + around);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const marker = n === line ? '>' : ' ';
    out.push(`${marker} ${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`.trimEnd());
    if (n === line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, column - 1))}^`);
  }
  return out.join('\n');
}

/** The frame for a location, or nothing when the file cannot be read now. */
export function frameAt(location: SourceLocation): string | undefined {
  try {
    return codeFrame(readFileSync(location.file, 'utf8'), location.line, location.column);
  } catch {
    return undefined;
  }
}

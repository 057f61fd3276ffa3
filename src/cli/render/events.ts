import type { Colors } from 'picocolors/types.js';
import type { AgentRunEvent } from '../../api/types.js';
import type { Spinner } from './spinner.js';
import { indent, shorten } from './text.js';
import { describeToolInput } from './tool-input.js';

const RESULT_LINES = 6;
const DIFF_LINES = 40;
/** A new file's diff is the whole file: its head is enough to see what it is. */
const NEW_FILE_LINES = 8;

export interface EventPrinterOptions {
  write: (text: string) => void;
  colors: Colors;
  /** Shown while the model works; only on a terminal. */
  spinner?: Spinner;
}

/**
 * Renders a run's events as they stream: text as it comes, thinking dimmed, tool calls with their
 * input, results shortened, file edits as colored diffs, the dev URL highlighted. It keeps track of
 * whether it is in the middle of a streamed line, so blocks never run into each other.
 */
export class EventPrinter {
  private streaming: 'text' | 'thinking' | null = null;
  private atLineStart = true;
  private wasPaused = false;

  constructor(private readonly options: EventPrinterOptions) {}

  print(event: AgentRunEvent): void {
    const c = this.options.colors;
    this.options.spinner?.stop();
    switch (event.type) {
      case 'text':
        this.stream('text', event.content, (s) => s);
        break;
      case 'thinking':
        this.stream('thinking', event.content, (s) => c.dim(c.italic(s)));
        break;
      case 'tool_call':
        this.block(`${c.cyan('⏺')} ${c.bold(event.tool)} ${describeToolInput(event.tool, event.input)}`);
        break;
      case 'tool_result':
        // A successful edit's diff is already on screen; its result only needs its first line.
        this.block(
          this.result(
            event.output,
            event.isError,
            event.tool === 'edit_file' && !event.isError ? 1 : RESULT_LINES,
          ),
        );
        this.thinkingSoon();
        break;
      case 'file_edit':
        this.block(this.fileEdit(event.path, event.change, event.diff));
        break;
      case 'integration':
        this.block(`  ${c.magenta('✉')} ${event.integration}: ${event.summary}`);
        break;
      case 'dev_url':
        this.block(`  ${c.green('➜')} dev server: ${c.bold(c.underline(c.green(event.url)))}`);
        break;
      case 'input':
        this.block(`${c.magenta('›')} ${c.bold('you:')} ${event.content}`);
        this.thinkingSoon();
        break;
      case 'error':
        this.block(`${c.red('✖ error:')} ${event.message}`);
        break;
      case 'build':
        this.block(c.dim(`  building template ${event.template}: ${event.step}`));
        break;
      case 'status':
        this.status(event);
        break;
      case 'usage':
      case 'complete':
        // Usage goes into the closing summary; the output was already streamed as text.
        break;
      default:
        assertNever(event);
    }
  }

  /** Ends a half-written line, e.g. before a prompt or the summary. */
  finishLine(): void {
    this.options.spinner?.stop();
    if (!this.atLineStart) this.options.write('\n');
    this.atLineStart = true;
    this.streaming = null;
  }

  private stream(kind: 'text' | 'thinking', content: string, paint: (s: string) => string): void {
    if (this.streaming !== kind) {
      this.finishLine();
      if (kind === 'thinking') this.options.write(paint('✻ '));
      this.streaming = kind;
    }
    // Thinking is indented under its marker; each line painted on its own so a terminal keeps the style.
    const text =
      kind === 'thinking'
        ? content
            .split('\n')
            .map(paint)
            .join(`\n${paint('  ')}`)
        : content;
    this.options.write(text);
    this.atLineStart = content.endsWith('\n');
  }

  private block(text: string): void {
    this.finishLine();
    this.options.write(`${text}\n`);
  }

  private result(output: string, isError: boolean, maxLines: number): string {
    const c = this.options.colors;
    const { lines, hidden } = shorten(output, maxLines);
    const paint = isError ? c.red : c.dim;
    const body = lines.map((line, i) => `${i === 0 ? '  ⎿ ' : '    '}${paint(line)}`).join('\n');
    return hidden > 0
      ? `${body}\n    ${c.dim(`… ${hidden} more line${hidden > 1 ? 's' : ''}`)}`
      : body || '  ⎿';
  }

  private fileEdit(path: string, change: string, diff: string): string {
    const c = this.options.colors;
    const lines = diff
      .split('\n')
      .filter(
        (line) => !/^(Index:|={5,}|--- |\+\+\+ )/.test(line) && line !== '\\ No newline at end of file',
      );
    const added = lines.filter((l) => l.startsWith('+')).length;
    const removed = lines.filter((l) => l.startsWith('-')).length;
    const mark = change === 'created' ? c.green('+') : change === 'deleted' ? c.red('-') : c.yellow('~');
    const head = `  ${mark} ${c.bold(path)} ${change} ${c.green(`+${added}`)} ${c.red(`-${removed}`)}`;
    if (change === 'deleted') return head;
    const limit = change === 'created' ? NEW_FILE_LINES : DIFF_LINES;
    const shown = lines
      .slice(0, limit)
      .map((line) =>
        line.startsWith('+')
          ? c.green(line)
          : line.startsWith('-')
            ? c.red(line)
            : line.startsWith('@@')
              ? c.cyan(line)
              : c.dim(line),
      );
    const more = lines.length > limit ? `\n    ${c.dim(`… ${lines.length - limit} more lines`)}` : '';
    return `${head}\n${indent(shown.join('\n').trimEnd(), '    ')}${more}`;
  }

  private status(event: Extract<AgentRunEvent, { type: 'status' }>): void {
    const c = this.options.colors;
    switch (event.status) {
      case 'queued':
        if (event.queuePosition) this.block(c.dim(`… queued (position ${event.queuePosition})`));
        break;
      case 'running':
        if (this.wasPaused) this.block(c.dim('▶ resumed'));
        this.wasPaused = false;
        this.thinkingSoon();
        break;
      case 'paused':
        this.wasPaused = true;
        this.block(c.yellow(`⏸ paused${event.reason ? c.dim(` (${event.reason})`) : ''}`));
        break;
      default:
        // Terminal statuses: the closing summary says how the run ended.
        this.finishLine();
    }
  }

  /** The model is up next: show the spinner until it says something. */
  private thinkingSoon(): void {
    this.options.spinner?.start('thinking…');
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected event ${JSON.stringify(value)}`);
}

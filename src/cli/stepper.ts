import { createInterface, type Interface } from 'node:readline';

/**
 * Reads lines from stdin for --pause-on-tool (Enter runs a held call, "n <reason>" denies it). When
 * stdin ends (nothing more will come), every later wait returns at once, so a piped run does not hang.
 */
export class EnterKey {
  private readonly lines: Interface;
  private waiting: ((line: string | undefined) => void) | undefined;
  private ended = false;
  private readonly buffered: string[] = [];

  constructor(input: NodeJS.ReadableStream = process.stdin) {
    // No output stream: the terminal stays in cooked mode, so Ctrl-C still raises SIGINT.
    this.lines = createInterface({ input });
    this.lines.on('line', (line) => {
      if (this.waiting) this.release(line);
      else this.buffered.push(line);
    });
    this.lines.on('close', () => {
      this.ended = true;
      this.release();
    });
  }

  /** Resolves with the next line typed (empty for a bare Enter), or undefined when stdin ends or `signal` aborts. */
  wait(signal: AbortSignal): Promise<string | undefined> {
    if (this.buffered.length > 0) return Promise.resolve(this.buffered.shift());
    if (this.ended || signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const done = (line?: string) => {
        signal.removeEventListener('abort', onAbort);
        this.waiting = undefined;
        resolve(line);
      };
      const onAbort = () => done(undefined);
      this.waiting = done;
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(line?: string): void {
    this.waiting?.(line);
  }

  close(): void {
    this.lines.close();
  }
}

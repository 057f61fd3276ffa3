import { createInterface, type Interface } from 'node:readline';

/**
 * Reads Enter presses from stdin for --pause-on-tool. When stdin ends (nothing more will come),
 * every later wait returns at once, so a piped run does not hang.
 */
export class EnterKey {
  private readonly lines: Interface;
  private waiting: (() => void) | undefined;
  private ended = false;
  private buffered = 0;

  constructor(input: NodeJS.ReadableStream = process.stdin) {
    // No output stream: the terminal stays in cooked mode, so Ctrl-C still raises SIGINT.
    this.lines = createInterface({ input });
    this.lines.on('line', () => {
      if (this.waiting) this.release();
      else this.buffered++;
    });
    this.lines.on('close', () => {
      this.ended = true;
      this.release();
    });
  }

  /** Resolves on the next Enter, when stdin ends, or when `signal` aborts. */
  wait(signal: AbortSignal): Promise<void> {
    if (this.ended || signal.aborted) return Promise.resolve();
    if (this.buffered > 0) {
      this.buffered--;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        this.waiting = undefined;
        resolve();
      };
      this.waiting = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private release(): void {
    this.waiting?.();
  }

  close(): void {
    this.lines.close();
  }
}

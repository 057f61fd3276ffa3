import { createInterface, type Interface } from 'node:readline';

/**
 * Reads Enter presses from stdin for --pause-on-tool. When stdin ends (nothing more will come),
 * every later wait returns at once, so a piped run does not hang.
 */
export class EnterKey {
  private readonly lines: Interface;
  private waiting: ((line: string) => void) | undefined;
  private ended = false;
  private readonly buffered: string[] = [];

  constructor(input: NodeJS.ReadableStream = process.stdin) {
    // No output stream: the terminal stays in cooked mode, so Ctrl-C still raises SIGINT.
    this.lines = createInterface({ input });
    this.lines.on('line', (line) => {
      if (this.waiting) this.waiting(line);
      else this.buffered.push(line);
    });
    this.lines.on('close', () => {
      this.ended = true;
      this.waiting?.('');
    });
  }

  /** Resolves with the line typed before Enter ('' when stdin ends or `signal` aborts). */
  wait(signal: AbortSignal): Promise<string> {
    const buffered = this.buffered.shift();
    if (buffered !== undefined) return Promise.resolve(buffered);
    if (this.ended || signal.aborted) return Promise.resolve('');
    return new Promise((resolve) => {
      const done = (line: string) => {
        signal.removeEventListener('abort', aborted);
        this.waiting = undefined;
        resolve(line);
      };
      const aborted = () => done('');
      this.waiting = done;
      signal.addEventListener('abort', aborted, { once: true });
    });
  }

  close(): void {
    this.lines.close();
  }
}

import type { Sandbox } from '../sandbox/types.js';

const POLL_MS = 1_000;

/**
 * Finds dev servers: reports each template port something starts listening on, once. A sandbox
 * that can watch its ports (Docker: one watcher exec for the container's life) tells as they open;
 * any other is asked once a second. Nothing runs per tool call.
 */
export class DevUrlWatcher {
  private readonly seen = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private watch: { stop(): void; readonly ended: Promise<void> } | undefined;
  private stopped = false;

  constructor(
    private readonly sandbox: Sandbox,
    private readonly report: (port: number, url: string) => void,
  ) {}

  start(): void {
    this.watch = this.sandbox.watchPorts?.((open) => {
      if (!this.stopped) for (const port of open) this.add(port.port, port.url);
    });
    if (!this.watch) {
      this.poll();
      return;
    }
    // A watcher that dies with the sandbox still up (killed by the agent) leaves the poll behind.
    void this.watch.ended.then(() => {
      if (!this.stopped) this.poll();
    });
  }

  stop(): void {
    this.stopped = true;
    this.watch?.stop();
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private poll(): void {
    this.timer = setInterval(() => void this.check(), POLL_MS);
  }

  async check(): Promise<void> {
    if (this.stopped) return;
    try {
      for (const open of await this.sandbox.listeningPorts()) this.add(open.port, open.url);
    } catch {
      // A sandbox going away mid-poll is reported by the step that uses it, not here.
    }
  }

  /** A port reported some other way (a tool that knows it started a server). */
  add(port: number, url: string): void {
    if (this.seen.has(port)) return;
    this.seen.add(port);
    this.report(port, url);
  }
}

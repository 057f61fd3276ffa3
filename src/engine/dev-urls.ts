import type { Sandbox } from '../sandbox/types.js';

const POLL_MS = 1_000;

/**
 * Finds dev servers: after every tool call and once a second (a server started in the background
 * may listen only later), asks the sandbox which template ports something listens on, and reports
 * each new one once.
 */
export class DevUrlWatcher {
  private readonly seen = new Set<number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sandbox: Sandbox,
    private readonly report: (port: number, url: string) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.check(), POLL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async check(): Promise<void> {
    if (!this.timer) return;
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

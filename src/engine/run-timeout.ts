/**
 * A deployment's timeout, counting running time only: pausing stops the clock and resuming
 * starts it again with what was left.
 */
export class RunTimeout {
  private leftMs: number;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;

  constructor(
    seconds: number,
    private readonly onExpire: () => void,
  ) {
    this.leftMs = seconds * 1000;
  }

  start(): void {
    if (this.timer) return;
    this.startedAt = performance.now();
    this.timer = setTimeout(this.onExpire, Math.max(0, this.leftMs));
  }

  stop(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.leftMs -= performance.now() - this.startedAt;
  }
}

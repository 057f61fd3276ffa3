import type { EventPayload } from '../../api/types.js';

/** At most one usage event per this long: a live cost counter needs no more. */
export const USAGE_EVERY_MS = 1_000;

type Usage = Extract<EventPayload, { type: 'usage' }>;

/**
 * Holds a run's usage events to one per `everyMs`. A usage event carries the run's totals so far,
 * so a newer one replaces a held one and nothing is lost: a fast model made one per turn, 1,000
 * rows and frames for a 1,000-turn run. The first goes out at once, and `flush()` sends the one
 * held before anything that ends or pauses the run, so the totals are current when it stops.
 */
export class UsageThrottle {
  private held: Usage | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastSent = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly sink: (event: Usage) => void,
    private readonly everyMs = USAGE_EVERY_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  offer(event: Usage): void {
    this.held = event;
    if (this.timer) return;
    const wait = this.lastSent + this.everyMs - this.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const held = this.held;
    this.held = undefined;
    if (!held) return;
    this.lastSent = this.now();
    this.sink(held);
  }
}

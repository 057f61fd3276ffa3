import type { EventPayload } from '../../api/types.js';

/** How long a text or thinking delta may wait for the ones after it. */
export const COALESCE_MS = 50;

type Delta = Extract<EventPayload, { type: 'text' | 'thinking' }>;

const isDelta = (event: EventPayload): event is Delta => event.type === 'text' || event.type === 'thinking';

/**
 * Joins consecutive text (or thinking) deltas into one event per `windowMs`: a model streams one
 * delta per word or token, and storing and sending each one costs a row and a frame apiece. A
 * pending delta goes out before any other event (order is kept), when the window closes, and on
 * `flush()`, so the text is the same and the stream still moves several times a second.
 */
export class DeltaCoalescer {
  private pending: Delta | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sink: (event: EventPayload) => void,
    private readonly windowMs = COALESCE_MS,
  ) {}

  readonly emit = (event: EventPayload): void => {
    if (isDelta(event)) {
      if (this.pending?.type === event.type) {
        this.pending = { type: event.type, content: this.pending.content + event.content };
        return;
      }
      this.flush();
      this.pending = event;
      this.timer = setTimeout(() => this.flush(), this.windowMs);
      return;
    }
    this.flush();
    this.sink(event);
  };

  /** Sends the pending delta now (before another event, at a pause, at the end of the run). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.sink(pending);
  }
}

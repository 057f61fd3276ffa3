import { type AgentRunEvent, type EventPayload, isTerminal } from '../api/types.js';
import type { EventStore } from '../store/events.js';

type Listener = (event: AgentRunEvent) => void;

interface RunChannel {
  lastSeq: number;
  listeners: Set<Listener>;
  ended: boolean;
}

/**
 * Every run's events: numbered, persisted, then fanned out. Appends made in the same tick are
 * written in one SQLite transaction (one commit instead of one per text delta) before any
 * subscriber sees them, so a client never receives an event that is not stored.
 */
export class RunEventLog {
  private readonly channels = new Map<string, RunChannel>();
  private pending: AgentRunEvent[] = [];
  private flushScheduled = false;

  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private channel(runId: string): RunChannel {
    let channel = this.channels.get(runId);
    if (!channel) {
      channel = { lastSeq: this.store.lastSeq(runId), listeners: new Set(), ended: false };
      this.channels.set(runId, channel);
    }
    return channel;
  }

  /** Live subscribers of a run (diagnostics: a client that went away must not stay here). */
  subscriberCount(runId: string): number {
    return this.channels.get(runId)?.listeners.size ?? 0;
  }

  /** Numbers and queues an event; it is stored and delivered at the end of this tick. */
  append(runId: string, payload: EventPayload): AgentRunEvent {
    const channel = this.channel(runId);
    const event = {
      ...payload,
      runId,
      seq: ++channel.lastSeq,
      timestamp: this.now().toISOString(),
    } as AgentRunEvent;
    this.pending.push(event);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
    return event;
  }

  /** Writes queued events and delivers them. Safe to call any time (tests, shutdown). */
  flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.store.appendMany(batch);
    for (const event of batch) {
      const channel = this.channels.get(event.runId);
      if (!channel) continue;
      for (const listener of channel.listeners) listener(event);
      if (event.type === 'status' && isTerminal(event.status)) {
        channel.ended = true;
        channel.listeners.clear();
        this.channels.delete(event.runId);
      }
    }
  }

  /**
   * Stored events after `after`, then live ones until the run's terminal status (or, without
   * `follow`, only what is stored). `isEnded` says whether the run already ended.
   */
  async *subscribe(
    runId: string,
    options: { after: number; follow: boolean; isEnded: () => boolean; signal?: AbortSignal },
  ): AsyncGenerator<AgentRunEvent> {
    const queue: AgentRunEvent[] = [];
    let wake: (() => void) | undefined;
    const listener: Listener = (event) => {
      queue.push(event);
      wake?.();
    };
    // Register and read in one synchronous block: no event can slip between the two.
    this.flush();
    const live = options.follow && !options.isEnded();
    const channel = live ? this.channel(runId) : undefined;
    channel?.listeners.add(listener);
    const stored = this.store.after(runId, options.after);
    let last = options.after;
    const onAbort = () => wake?.();
    options.signal?.addEventListener('abort', onAbort);
    try {
      for (const event of stored) {
        last = event.seq;
        yield event;
        if (event.type === 'status' && isTerminal(event.status)) return;
      }
      if (!channel) return;
      while (!options.signal?.aborted) {
        const event = queue.shift();
        if (!event) {
          if (channel.ended && queue.length === 0) return;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
          continue;
        }
        if (event.seq <= last) continue;
        last = event.seq;
        yield event;
        if (event.type === 'status' && isTerminal(event.status)) return;
      }
    } finally {
      channel?.listeners.delete(listener);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }
}

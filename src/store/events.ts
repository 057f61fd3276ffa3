import type { AgentRunEvent } from '../api/types.js';
import type { Db } from './db.js';

export type EventStore = ReturnType<typeof createEventStore>;

/** The append-only log of every run's events, keyed by (run, sequence). */
export function createEventStore(db: Db) {
  const insert = db.prepare('INSERT INTO run_events (run_id, seq, type, data) VALUES (?, ?, ?, ?)');
  const after = db.prepare<[string, number, number], { data: string }>(
    'SELECT data FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  );
  const last = db.prepare<[string], { seq: number }>(
    'SELECT MAX(seq) AS seq FROM run_events WHERE run_id = ?',
  );
  const appendMany = db.transaction((events: AgentRunEvent[]) => {
    for (const event of events) insert.run(event.runId, event.seq, event.type, JSON.stringify(event));
  });

  return {
    append(event: AgentRunEvent): void {
      insert.run(event.runId, event.seq, event.type, JSON.stringify(event));
    },
    /** Appends several events in one transaction: one commit instead of one per event. */
    appendMany(events: AgentRunEvent[]): void {
      appendMany(events);
    },
    /** Events with `seq > afterSeq`, in order, at most `limit`. */
    after(runId: string, afterSeq: number, limit = 10_000): AgentRunEvent[] {
      return after.all(runId, afterSeq, limit).map((row) => JSON.parse(row.data) as AgentRunEvent);
    },
    lastSeq(runId: string): number {
      return last.get(runId)?.seq ?? 0;
    },
  };
}

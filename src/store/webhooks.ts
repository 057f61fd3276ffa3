import type { Db } from './db.js';

export interface WebhookDelivery {
  id: string;
  runId: string;
  event: string;
  url: string;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  createdAt: string;
}

export type WebhookStore = ReturnType<typeof createWebhookStore>;

/** One row per delivery attempt, so a failing receiver's history can be inspected. */
export function createWebhookStore(db: Db) {
  const insert = db.prepare(
    `INSERT INTO webhook_deliveries (id, run_id, event, url, attempt, status_code, error, created_at)
     VALUES (@id, @runId, @event, @url, @attempt, @statusCode, @error, @createdAt)`,
  );
  const byRun = db.prepare<[string], Record<string, unknown>>(
    'SELECT * FROM webhook_deliveries WHERE run_id = ? ORDER BY created_at, attempt',
  );
  return {
    record(attempt: WebhookDelivery): void {
      insert.run(attempt);
    },
    forRun(runId: string): WebhookDelivery[] {
      return byRun.all(runId).map((raw) => ({
        id: raw.id as string,
        runId: raw.run_id as string,
        event: raw.event as string,
        url: raw.url as string,
        attempt: raw.attempt as number,
        statusCode: (raw.status_code as number | null) ?? null,
        error: (raw.error as string | null) ?? null,
        createdAt: raw.created_at as string,
      }));
    },
  };
}

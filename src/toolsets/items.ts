import type { Db } from '../store/db.js';

/** One stored thing of a stand-in: a mailbox message, a sent message, a seed marker. */
export interface IntegrationItem<T = Record<string, unknown>> {
  id: string;
  kind: string;
  runId: string | null;
  data: T;
  createdAt: string;
}

interface RawItem {
  id: string;
  kind: string;
  run_id: string | null;
  data: string;
  created_at: string;
}

/**
 * A stand-in's own storage, in the one SQLite file: items by kind (`mailbox`, `outbox`, ...). A
 * generic table, so the next stand-in needs no migration of its own.
 */
export interface IntegrationItems {
  list<T = Record<string, unknown>>(kind: string): IntegrationItem<T>[];
  get<T = Record<string, unknown>>(kind: string, id: string): IntegrationItem<T> | undefined;
  put(kind: string, item: { id: string; runId?: string | null; data: unknown; createdAt: string }): void;
  /** Replaces every item of `kind` (reseeding from fixtures). */
  replace(kind: string, items: { id: string; data: unknown; createdAt: string }[]): void;
}

export function createIntegrationItems(db: Db, integration: string): IntegrationItems {
  const statements = {
    list: db.prepare<[string, string], RawItem>(
      'SELECT * FROM integration_items WHERE integration = ? AND kind = ? ORDER BY created_at, id',
    ),
    get: db.prepare<[string, string, string], RawItem>(
      'SELECT * FROM integration_items WHERE integration = ? AND kind = ? AND id = ?',
    ),
    put: db.prepare(
      `INSERT OR REPLACE INTO integration_items (integration, kind, id, run_id, data, created_at)
       VALUES (@integration, @kind, @id, @runId, @data, @createdAt)`,
    ),
    clear: db.prepare('DELETE FROM integration_items WHERE integration = ? AND kind = ?'),
  };
  const toItem = <T>(raw: RawItem): IntegrationItem<T> => ({
    id: raw.id,
    kind: raw.kind,
    runId: raw.run_id,
    data: JSON.parse(raw.data) as T,
    createdAt: raw.created_at,
  });
  const put: IntegrationItems['put'] = (kind, item) =>
    statements.put.run({
      integration,
      kind,
      id: item.id,
      runId: item.runId ?? null,
      data: JSON.stringify(item.data),
      createdAt: item.createdAt,
    });
  return {
    list: <T>(kind: string) => statements.list.all(integration, kind).map((raw) => toItem<T>(raw)),
    get: <T>(kind: string, id: string) => {
      const raw = statements.get.get(integration, kind, id);
      return raw && toItem<T>(raw);
    },
    put,
    replace: (kind, items) =>
      db.transaction(() => {
        statements.clear.run(integration, kind);
        for (const item of items) put(kind, item);
      })(),
  };
}

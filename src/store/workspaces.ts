import type { WorkspaceData } from '../api/types.js';
import type { Db } from './db.js';

interface RawWorkspace {
  id: string;
  path: string;
  managed: number;
  created_at: string;
}

const toWorkspace = (raw: RawWorkspace): WorkspaceData => ({
  id: raw.id,
  path: raw.path,
  managed: raw.managed === 1,
  createdAt: raw.created_at,
});

export type WorkspaceStore = ReturnType<typeof createWorkspaceStore>;

export function createWorkspaceStore(db: Db) {
  const statements = {
    get: db.prepare<[string], RawWorkspace>('SELECT * FROM workspaces WHERE id = ?'),
    list: db.prepare<[], RawWorkspace>('SELECT * FROM workspaces ORDER BY id'),
    upsert: db.prepare(
      `INSERT INTO workspaces (id, path, managed, created_at) VALUES (@id, @path, @managed, @now)
       ON CONFLICT (id) DO UPDATE SET path = excluded.path, managed = excluded.managed`,
    ),
    remove: db.prepare('DELETE FROM workspaces WHERE id = ?'),
  };
  return {
    get(id: string): WorkspaceData | undefined {
      const raw = statements.get.get(id);
      return raw && toWorkspace(raw);
    },
    list(): WorkspaceData[] {
      return statements.list.all().map(toWorkspace);
    },
    upsert(id: string, path: string, managed: boolean, now: string): WorkspaceData {
      statements.upsert.run({ id, path, managed: managed ? 1 : 0, now });
      return toWorkspace(statements.get.get(id)!);
    },
    remove(id: string): void {
      statements.remove.run(id);
    },
  };
}

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { invalid, notFound } from '../api/errors.js';
import { type CreateWorkspaceBody, createWorkspaceSchema, parseInput } from '../api/schemas.js';
import type { WorkspaceData } from '../api/types.js';
import type { Store } from '../store/store.js';
import { workspacePathProblem } from './workspace-rules.js';

export type WorkspaceService = ReturnType<typeof createWorkspaceService>;

/**
 * Named host directories. A workspace bound to an existing directory keeps pointing there; an
 * unknown id becomes a managed directory under the data dir on first use, as Docker does for
 * named volumes, and persists across runs.
 */
export function createWorkspaceService(store: Store, dataDir: string, now: () => Date) {
  const managedRoot = path.join(dataDir, 'workspaces');

  return {
    create(body: CreateWorkspaceBody): WorkspaceData {
      const input = parseInput(createWorkspaceSchema, body, 'workspace');
      if (input.path === undefined) return this.resolve(input.id);
      const dir = path.resolve(input.path);
      const problem = workspacePathProblem(dir, dataDir);
      if (problem)
        throw invalid(`invalid workspace: path: ${problem}`, {
          fields: [{ field: 'path', message: problem }],
        });
      return store.workspaces.upsert(input.id, dir, false, now().toISOString());
    },

    list(): WorkspaceData[] {
      return store.workspaces.list();
    },

    get(id: string): WorkspaceData {
      const found = store.workspaces.get(id);
      if (!found)
        throw notFound(
          `workspace "${id}" not found; it is created on first use by a run, or with rt.workspaces.create({id, path})`,
        );
      return found;
    },

    delete(id: string): void {
      this.get(id);
      store.workspaces.remove(id);
    },

    /** Where a managed workspace of this id lives (made or not). */
    managedPath(id: string): string {
      return path.join(managedRoot, id);
    },

    /** The workspace's host directory, making a managed one when the id is new. */
    resolve(id: string): WorkspaceData {
      const found = store.workspaces.get(id);
      if (found) {
        mkdirSync(found.path, { recursive: true });
        return found;
      }
      const dir = path.join(managedRoot, id);
      mkdirSync(dir, { recursive: true });
      return store.workspaces.upsert(id, dir, true, now().toISOString());
    },
  };
}

import { type Db, openDatabase } from './db.js';
import { createDeploymentStore } from './deployments.js';
import { createEvalStore } from './evals.js';
import { createEventStore } from './events.js';
import { createRunStore } from './runs.js';
import { createRuntimeStore } from './runtimes.js';
import { createWebhookStore } from './webhooks.js';
import { createWorkspaceStore } from './workspaces.js';

/** Everything runtools keeps, over one SQLite file. */
export interface Store {
  db: Db;
  runtimes: ReturnType<typeof createRuntimeStore>;
  deployments: ReturnType<typeof createDeploymentStore>;
  workspaces: ReturnType<typeof createWorkspaceStore>;
  runs: ReturnType<typeof createRunStore>;
  events: ReturnType<typeof createEventStore>;
  webhooks: ReturnType<typeof createWebhookStore>;
  evals: ReturnType<typeof createEvalStore>;
  /** Runs `fn` in one transaction. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export function openStore(dataDir: string): Store {
  const db = openDatabase(dataDir);
  return {
    db,
    runtimes: createRuntimeStore(db),
    deployments: createDeploymentStore(db),
    workspaces: createWorkspaceStore(db),
    runs: createRunStore(db),
    events: createEventStore(db),
    webhooks: createWebhookStore(db),
    evals: createEvalStore(db),
    transaction: (fn) => db.transaction(fn)(),
    close: () => db.close(),
  };
}

import type { AgentDeploymentData } from '../api/types.js';
import type { Db } from './db.js';

/** A deployment's stored settings: everything but the derived `apiEndpoint`. */
export type DeploymentConfig = Omit<
  AgentDeploymentData,
  'apiSlug' | 'apiEndpoint' | 'source' | 'createdAt' | 'updatedAt'
>;

export interface DeploymentRow {
  apiSlug: string;
  config: DeploymentConfig;
  source: 'api' | 'config';
  createdAt: string;
  updatedAt: string;
}

interface RawDeployment {
  api_slug: string;
  runtime_slug: string;
  config: string;
  source: 'api' | 'config';
  created_at: string;
  updated_at: string;
}

const toDeployment = (raw: RawDeployment): DeploymentRow => ({
  apiSlug: raw.api_slug,
  config: JSON.parse(raw.config) as DeploymentConfig,
  source: raw.source,
  createdAt: raw.created_at,
  updatedAt: raw.updated_at,
});

export type DeploymentStore = ReturnType<typeof createDeploymentStore>;

export function createDeploymentStore(db: Db) {
  const statements = {
    get: db.prepare<[string], RawDeployment>('SELECT * FROM deployments WHERE api_slug = ?'),
    list: db.prepare<[], RawDeployment>('SELECT * FROM deployments ORDER BY api_slug'),
    byRuntime: db.prepare<[string], RawDeployment>(
      'SELECT * FROM deployments WHERE runtime_slug = ? ORDER BY api_slug',
    ),
    insert: db.prepare(
      `INSERT INTO deployments (api_slug, runtime_slug, config, source, created_at, updated_at)
       VALUES (@apiSlug, @runtimeSlug, @config, @source, @now, @now)`,
    ),
    update: db.prepare(
      'UPDATE deployments SET runtime_slug = @runtimeSlug, config = @config, source = @source, updated_at = @now WHERE api_slug = @apiSlug',
    ),
    remove: db.prepare('DELETE FROM deployments WHERE api_slug = ?'),
  };

  return {
    get(apiSlug: string): DeploymentRow | undefined {
      const raw = statements.get.get(apiSlug);
      return raw && toDeployment(raw);
    },
    list(): DeploymentRow[] {
      return statements.list.all().map(toDeployment);
    },
    usingRuntime(runtimeSlug: string): DeploymentRow[] {
      return statements.byRuntime.all(runtimeSlug).map(toDeployment);
    },
    insert(apiSlug: string, config: DeploymentConfig, source: DeploymentRow['source'], now: string): void {
      statements.insert.run({
        apiSlug,
        runtimeSlug: config.runtimeSlug,
        config: JSON.stringify(config),
        source,
        now,
      });
    },
    update(apiSlug: string, config: DeploymentConfig, source: DeploymentRow['source'], now: string): void {
      statements.update.run({
        apiSlug,
        runtimeSlug: config.runtimeSlug,
        config: JSON.stringify(config),
        source,
        now,
      });
    },
    remove(apiSlug: string): void {
      statements.remove.run(apiSlug);
    },
  };
}

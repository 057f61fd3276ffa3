import type { RuntimeConfig, RuntimeVersion, ToolSpec } from '../api/types.js';
import type { Db } from './db.js';

export interface RuntimeRow {
  slug: string;
  config: RuntimeConfig;
  source: 'api' | 'config';
  createdAt: string;
  updatedAt: string;
}

interface RawRuntime {
  slug: string;
  config: string;
  source: 'api' | 'config';
  created_at: string;
  updated_at: string;
}

interface RawVersion {
  runtime_slug: string;
  version: number;
  config: string;
  reason: string;
  created_at: string;
  tool_specs: string | null;
}

const toRuntime = (raw: RawRuntime): RuntimeRow => ({
  slug: raw.slug,
  config: JSON.parse(raw.config) as RuntimeConfig,
  source: raw.source,
  createdAt: raw.created_at,
  updatedAt: raw.updated_at,
});

const toVersion = (raw: RawVersion): RuntimeVersion => ({
  ...(JSON.parse(raw.config) as RuntimeConfig),
  runtimeSlug: raw.runtime_slug,
  version: raw.version,
  reason: raw.reason,
  createdAt: raw.created_at,
  ...(raw.tool_specs ? { toolSpecs: JSON.parse(raw.tool_specs) as ToolSpec[] } : {}),
});

export type RuntimeStore = ReturnType<typeof createRuntimeStore>;

/** Runtimes and their immutable version snapshots. */
export function createRuntimeStore(db: Db) {
  const statements = {
    get: db.prepare<[string], RawRuntime>('SELECT * FROM runtimes WHERE slug = ?'),
    list: db.prepare<[], RawRuntime>('SELECT * FROM runtimes ORDER BY slug'),
    insert: db.prepare(
      'INSERT INTO runtimes (slug, config, source, created_at, updated_at) VALUES (@slug, @config, @source, @now, @now)',
    ),
    update: db.prepare(
      'UPDATE runtimes SET config = @config, source = @source, updated_at = @now WHERE slug = @slug',
    ),
    remove: db.prepare('DELETE FROM runtimes WHERE slug = ?'),
    versions: db.prepare<[string], RawVersion>(
      'SELECT * FROM runtime_versions WHERE runtime_slug = ? ORDER BY version',
    ),
    version: db.prepare<[string, number], RawVersion>(
      'SELECT * FROM runtime_versions WHERE runtime_slug = ? AND version = ?',
    ),
    latest: db.prepare<[string], RawVersion>(
      'SELECT * FROM runtime_versions WHERE runtime_slug = ? ORDER BY version DESC LIMIT 1',
    ),
    recordToolSpecs: db.prepare(
      'UPDATE runtime_versions SET tool_specs = ? WHERE runtime_slug = ? AND version = ? AND tool_specs IS NULL',
    ),
    addVersion: db.prepare(
      `INSERT INTO runtime_versions (runtime_slug, version, config, reason, created_at)
       VALUES (@slug, (SELECT COALESCE(MAX(version), 0) + 1 FROM runtime_versions WHERE runtime_slug = @slug), @config, @reason, @now)`,
    ),
  };

  return {
    get(slug: string): RuntimeRow | undefined {
      const raw = statements.get.get(slug);
      return raw && toRuntime(raw);
    },
    list(): RuntimeRow[] {
      return statements.list.all().map(toRuntime);
    },
    insert(slug: string, config: RuntimeConfig, source: RuntimeRow['source'], now: string): void {
      statements.insert.run({ slug, config: JSON.stringify(config), source, now });
    },
    update(slug: string, config: RuntimeConfig, source: RuntimeRow['source'], now: string): void {
      statements.update.run({ slug, config: JSON.stringify(config), source, now });
    },
    remove(slug: string): void {
      statements.remove.run(slug);
    },
    versions(slug: string): RuntimeVersion[] {
      return statements.versions.all(slug).map(toVersion);
    },
    version(slug: string, version: number): RuntimeVersion | undefined {
      const raw = statements.version.get(slug, version);
      return raw && toVersion(raw);
    },
    latestVersion(slug: string): RuntimeVersion | undefined {
      const raw = statements.latest.get(slug);
      return raw && toVersion(raw);
    },
    /** Records the tool specs a version's first run was given (later runs leave them). */
    recordToolSpecs(slug: string, version: number, specs: ToolSpec[]): void {
      statements.recordToolSpecs.run(JSON.stringify(specs), slug, version);
    },
    /** Appends the next numbered snapshot of `config` and returns it. */
    addVersion(slug: string, config: RuntimeConfig, reason: string, now: string): RuntimeVersion {
      statements.addVersion.run({ slug, config: JSON.stringify(config), reason, now });
      return toVersion(statements.latest.get(slug)!);
    },
  };
}

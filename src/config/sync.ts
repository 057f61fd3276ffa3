import type { RuntimeConfig, RuntimeVersion } from '../api/types.js';
import { DEFAULT_LIMITS } from '../engine/deployments.js';
import type { Engine } from '../engine/engine.js';
import { type ConfigSource, configKey } from '../engine/runtimes.js';
import type { DeploymentConfig } from '../store/deployments.js';
import type { LoadedConfig, LoadedRuntime } from './load.js';

type Kind = 'runtime' | 'deployment' | 'workspace';

/** What a sync did, one note per change or problem, for the dev loop to print. */
export type SyncNote =
  | { kind: 'created'; what: Kind; slug: string; version?: number }
  | { kind: 'versioned'; slug: string; from: RuntimeVersion | undefined; to: RuntimeVersion }
  | { kind: 'updated'; what: 'deployment' | 'workspace'; slug: string; fields: string[] }
  | { kind: 'clash'; what: 'runtime' | 'deployment'; slug: string; message: string }
  | { kind: 'failed'; what: Kind; slug: string; message: string }
  | { kind: 'not_in_config'; what: 'runtime' | 'deployment'; slug: string; message: string };

export interface SyncOptions {
  /** The sandbox of deployments that do not choose one: the --sandbox flag, else the config's. */
  defaultSandbox: 'docker' | 'local';
  /** Slugs the previous load had; rows the config dropped since are reported once, not every reload. */
  previous?: LoadedConfig;
}

/**
 * Makes the store match the config. Runtimes and deployments the config owns (source `config`) are
 * created or updated, a changed runtime getting a new version (reason `config`); rows created
 * through the API are never touched, and a config entry with the same slug is reported as a clash.
 * Settings (default sandbox, web search) are applied too. One bad entry does not stop the others.
 */
export function syncConfig(engine: Engine, config: LoadedConfig, options: SyncOptions): SyncNote[] {
  const notes: SyncNote[] = [];
  engine.applySettings({ defaultSandbox: options.defaultSandbox, webSearch: config.webSearch });
  // Before the runtimes: their tools are checked against these.
  engine.toolsets?.configure(config.toolsets);
  for (const runtime of config.runtimes)
    attempt(notes, 'runtime', runtime.slug, () => syncRuntime(engine, runtime));
  for (const workspace of config.workspaces)
    attempt(notes, 'workspace', workspace.id, () => syncWorkspace(engine, workspace));
  for (const deployment of config.deployments) {
    attempt(notes, 'deployment', deployment.apiSlug, () =>
      syncDeployment(engine, deployment, options.defaultSandbox),
    );
  }
  notes.push(...dropped(engine, config, options.previous));
  engine.setConfigSources(configSources(engine, config));
  return notes;
}

/** The config's runtimes that are the config's (not an API runtime it clashes with), with their files. */
function configSources(engine: Engine, config: LoadedConfig): Map<string, ConfigSource> {
  const sources = new Map<string, ConfigSource>();
  for (const runtime of config.runtimes) {
    if (engine.store.runtimes.get(runtime.slug)?.source !== 'config') continue;
    sources.set(runtime.slug, {
      // Absolute: the message that names them reaches clients in other folders.
      configFile: config.file,
      ...(runtime.promptFile ? { promptFile: runtime.promptFile } : {}),
    });
  }
  return sources;
}

function attempt(notes: SyncNote[], what: Kind, slug: string, work: () => SyncNote[]): void {
  try {
    notes.push(...work());
  } catch (error) {
    notes.push({
      kind: 'failed',
      what,
      slug,
      message: error instanceof Error ? error.message : String(error),
    });
  }
}

function syncRuntime(engine: Engine, runtime: LoadedRuntime): SyncNote[] {
  const { runtimeService, store } = engine;
  const existing = store.runtimes.get(runtime.slug);
  const desired: RuntimeConfig = {
    name: runtime.name ?? runtime.slug,
    systemPrompt: runtime.systemPrompt,
    model: runtime.model,
    tools: runtime.tools,
    maxTurns: runtime.maxTurns,
    toolChoice: runtime.toolChoice,
    ...(runtime.approve?.length ? { approve: runtime.approve } : {}),
  };
  if (!existing) {
    const created = runtimeService.create({ slug: runtime.slug, ...desired }, 'config');
    return [{ kind: 'created', what: 'runtime', slug: runtime.slug, version: created.version }];
  }
  if (existing.source === 'api') {
    if (configKey(existing.config) === configKey(desired)) return [];
    return [
      {
        kind: 'clash',
        what: 'runtime',
        slug: runtime.slug,
        message: `runtime "${runtime.slug}" was created through the API and differs from the config; the config's version is not applied. Delete the API one (rt.runtimes.get('${runtime.slug}') then .delete()) or give the config's another slug`,
      },
    ];
  }
  const before = store.runtimes.latestVersion(runtime.slug);
  if (configKey(existing.config) !== configKey(desired)) {
    runtimeService.update(runtime.slug, desired, 'config');
  }
  // Also versions an API update of a config runtime that the config now agrees with.
  const after = runtimeService.ensureVersion(runtime.slug, 'config');
  if (before && after.version === before.version) return [];
  return [
    {
      kind: 'versioned',
      slug: runtime.slug,
      from: before ? runtimeService.version(runtime.slug, before.version) : undefined,
      to: runtimeService.version(runtime.slug, after.version),
    },
  ];
}

function syncWorkspace(engine: Engine, workspace: { id: string; path?: string }): SyncNote[] {
  const existing = engine.store.workspaces.get(workspace.id);
  if (!workspace.path) {
    if (existing) return [];
    engine.workspaceService.resolve(workspace.id);
    return [{ kind: 'created', what: 'workspace', slug: workspace.id }];
  }
  if (existing?.path === workspace.path) return [];
  engine.workspaceService.create({ id: workspace.id, path: workspace.path });
  return existing
    ? [{ kind: 'updated', what: 'workspace', slug: workspace.id, fields: ['path'] }]
    : [{ kind: 'created', what: 'workspace', slug: workspace.id }];
}

function syncDeployment(
  engine: Engine,
  deployment: LoadedConfig['deployments'][number],
  defaultSandbox: 'docker' | 'local',
): SyncNote[] {
  const { deploymentService, store } = engine;
  const existing = store.deployments.get(deployment.apiSlug);
  const { apiSlug, ...fields } = deployment;
  // Every field spelled out, so a field removed from the config goes back to its default.
  const desired: DeploymentConfig = {
    ...fields,
    webhookUrl: fields.webhookUrl ?? null,
    sandbox: fields.sandbox ?? defaultSandbox,
    limits: { ...DEFAULT_LIMITS, ...fields.limits },
  };
  if (!existing) {
    deploymentService.create({ apiSlug, ...desired }, 'config');
    engine.runService.prewarm(apiSlug);
    return [{ kind: 'created', what: 'deployment', slug: apiSlug }];
  }
  const changed = changedFields(existing.config, desired);
  if (changed.length === 0) return [];
  if (existing.source === 'api') {
    return [
      {
        kind: 'clash',
        what: 'deployment',
        slug: apiSlug,
        message: `deployment "${apiSlug}" was created through the API and differs from the config (${changed.join(', ')}); the config's is not applied. Delete the API one (rt.deployments.get('${apiSlug}') then .delete()) or give the config's another apiSlug`,
      },
    ];
  }
  deploymentService.update(apiSlug, desired, 'config');
  // A raised maxConcurrent starts waiting runs now, as an API update would.
  engine.runService.deploymentChanged(apiSlug);
  return [{ kind: 'updated', what: 'deployment', slug: apiSlug, fields: changed }];
}

function changedFields(current: DeploymentConfig, desired: DeploymentConfig): string[] {
  return (Object.keys(desired) as (keyof DeploymentConfig)[]).filter(
    (key) => stable(current[key]) !== stable(desired[key]),
  );
}

/** JSON with sorted keys: stored rows and fresh objects list keys in different orders. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** Config rows the config no longer lists: kept (runs refer to them), and said once. */
function dropped(engine: Engine, config: LoadedConfig, previous: LoadedConfig | undefined): SyncNote[] {
  const notes: SyncNote[] = [];
  const runtimes = new Set(config.runtimes.map((r) => r.slug));
  const deployments = new Set(config.deployments.map((d) => d.apiSlug));
  const wasListed = (what: 'runtime' | 'deployment', slug: string) =>
    !previous ||
    (what === 'runtime'
      ? previous.runtimes.some((r) => r.slug === slug)
      : previous.deployments.some((d) => d.apiSlug === slug));
  for (const row of engine.store.deployments.list()) {
    if (row.source !== 'config' || deployments.has(row.apiSlug) || !wasListed('deployment', row.apiSlug))
      continue;
    notes.push({
      kind: 'not_in_config',
      what: 'deployment',
      slug: row.apiSlug,
      message: `deployment "${row.apiSlug}" is no longer in the config; it is kept with its runs (delete it with rt.deployments.get('${row.apiSlug}') then .delete())`,
    });
  }
  for (const row of engine.store.runtimes.list()) {
    if (row.source !== 'config' || runtimes.has(row.slug) || !wasListed('runtime', row.slug)) continue;
    notes.push({
      kind: 'not_in_config',
      what: 'runtime',
      slug: row.slug,
      message: `runtime "${row.slug}" is no longer in the config; it is kept with its versions (delete it with rt.runtimes.get('${row.slug}') then .delete())`,
    });
  }
  return notes;
}

import { conflict, invalid, notFound } from '../api/errors.js';
import { modelConfigProblem } from '../api/model-names.js';
import {
  type CreateRuntimeBody,
  createRuntimeSchema,
  parseInput,
  rollbackSchema,
  type UpdateRuntimeBody,
  updateRuntimeSchema,
} from '../api/schemas.js';
import {
  type AgentRuntimeData,
  BUILTIN_TOOLS,
  type ModelConfig,
  type RuntimeConfig,
  type RuntimeVersion,
} from '../api/types.js';
import type { RuntimeRow } from '../store/runtimes.js';
import type { Store } from '../store/store.js';

/** What an API response shows instead of a custom endpoint's key. */
export const REDACTED_KEY = '[redacted]';

/** A model config fit to show: a custom endpoint's key replaced. */
export const redactModel = (model: ModelConfig): ModelConfig =>
  typeof model === 'object' && model.provider === 'custom' && model.apiKey
    ? { ...model, apiKey: REDACTED_KEY }
    : model;

const redactConfig = <T extends RuntimeConfig>(config: T): T => ({
  ...config,
  model: redactModel(config.model),
});

/** Just the config of a runtime version (or anything shaped like one). */
export const runtimeConfigOf = (value: RuntimeConfig): RuntimeConfig => ({
  name: value.name,
  systemPrompt: value.systemPrompt,
  model: value.model,
  tools: value.tools,
  maxTurns: value.maxTurns,
  ...(value.toolChoice === undefined ? {} : { toolChoice: value.toolChoice }),
  ...(value.approve?.length ? { approve: value.approve } : {}),
});

/** Field order of a config, so equal configs serialise equally. */
export const configKey = (config: RuntimeConfig): string =>
  JSON.stringify([
    config.name,
    config.systemPrompt,
    config.model,
    config.tools,
    config.maxTurns,
    // Only when set, so configs stored before toolChoice existed keep their key.
    ...(config.toolChoice === undefined ? [] : [config.toolChoice]),
    // Only when set, so configs from before approvals keep their keys.
    ...(config.approve?.length ? [config.approve] : []),
  ]);

function checkTools(
  fields: { tools?: readonly string[]; approve?: readonly string[] },
  toolProblem: ((name: string) => string | undefined) | undefined,
): void {
  const problems: { field: string; message: string }[] = [];
  for (const key of ['tools', 'approve'] as const) {
    for (const [index, name] of (fields[key] ?? []).entries()) {
      if ((BUILTIN_TOOLS as readonly string[]).includes(name)) continue;
      const message = toolProblem
        ? toolProblem(name)
        : `unknown tool "${name}"; valid tools are ${BUILTIN_TOOLS.join(', ')}`;
      if (message) problems.push({ field: `${key}.${index}`, message });
    }
  }
  if (problems.length > 0) {
    throw invalid(`invalid runtime: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, {
      fields: problems,
    });
  }
}

function checkModel(model: ModelConfig | undefined): void {
  if (model === undefined) return;
  const problem = modelConfigProblem(model);
  if (problem)
    throw invalid(`invalid runtime: model: ${problem}`, { fields: [{ field: 'model', message: problem }] });
}

export type RuntimeService = ReturnType<typeof createRuntimeService>;

/** Where a runtime's config lives when a config file owns it (runtools.config.ts and its prompt file). */
export interface ConfigSource {
  configFile: string;
  /** The prompt file, when the config names one instead of inline text. */
  promptFile?: string;
}

export interface RuntimeHooks {
  /** The file that owns this runtime, if a config file does: rollback then refuses (see rollback). */
  configSource?: (slug: string) => ConfigSource | undefined;
  /** Told of every version made, whatever made it (the dev log prints them). */
  onVersion?: (version: RuntimeVersion) => void;
  /** Why a tool name is unknown to this server (toolsets), or undefined; only built-ins without it. */
  toolProblem?: (name: string) => string | undefined;
}

/** Runtimes and their versions: validation, snapshots and rollback over the store. */
export function createRuntimeService(store: Store, now: () => Date, hooks: RuntimeHooks = {}) {
  const iso = () => now().toISOString();
  /** Versions made inside a transaction are announced after it commits. */
  const announce = (version: RuntimeVersion) => {
    queueMicrotask(() => hooks.onVersion?.(versionData(version)));
    return version;
  };

  function row(slug: string): RuntimeRow {
    const found = store.runtimes.get(slug);
    if (!found) {
      const known = store.runtimes.list().map((r) => r.slug);
      throw notFound(
        `runtime "${slug}" not found; ${known.length ? `known runtimes: ${known.join(', ')}` : 'create one with rt.runtimes.create({slug, ...})'}`,
      );
    }
    return found;
  }

  function toData(runtime: RuntimeRow): AgentRuntimeData {
    const latest = store.runtimes.latestVersion(runtime.slug);
    return {
      slug: runtime.slug,
      ...redactConfig(runtime.config),
      version: latest?.version ?? 0,
      hasUnversionedChanges: !latest || configKey(latest) !== configKey(runtime.config),
      source: runtime.source,
      createdAt: runtime.createdAt,
      updatedAt: runtime.updatedAt,
    };
  }

  const versionData = (version: RuntimeVersion): RuntimeVersion => redactConfig(version);

  /**
   * A runtime a config file owns is what the file says: a rollback in the store would be undone
   * by the next save (v4 = the file's text + the edit). So the file is where to go back.
   */
  function refuseIfConfigOwned(slug: string, version: number): void {
    const source = row(slug).source === 'config' ? hooks.configSource?.(slug) : undefined;
    if (!source) return;
    const where = source.promptFile
      ? `its prompt file ${source.promptFile} (and ${source.configFile})`
      : source.configFile;
    const how = source.promptFile
      ? `put v${version}'s prompt back in the file: "runtools runtimes show ${slug} --version ${version} --prompt > ${source.promptFile}", or "git checkout <commit> -- ${source.promptFile}"`
      : `edit ${source.configFile} back to what v${version} had (see "runtools runtimes show ${slug} --version ${version}"), or "git checkout <commit> -- ${source.configFile}"`;
    throw conflict(
      `runtime "${slug}" comes from the config, so ${where} is the source of truth: a rollback here would be undone by the next save. To go back to v${version}, ${how}; the running server makes the new version when the file changes`,
      { configFile: source.configFile, ...(source.promptFile ? { promptFile: source.promptFile } : {}) },
    );
  }

  return {
    create(body: CreateRuntimeBody, source: RuntimeRow['source'] = 'api'): AgentRuntimeData {
      const input = parseInput(createRuntimeSchema, body, 'runtime');
      checkModel(input.model);
      checkTools(input, hooks.toolProblem);
      if (store.runtimes.get(input.slug)) {
        throw conflict(
          `runtime "${input.slug}" already exists; update it with runtime.update() or pick another slug`,
        );
      }
      const config: RuntimeConfig = {
        name: input.name ?? input.slug,
        systemPrompt: input.systemPrompt,
        model: input.model,
        tools: input.tools,
        maxTurns: input.maxTurns,
        ...(input.toolChoice === undefined ? {} : { toolChoice: input.toolChoice }),
        ...(input.approve?.length ? { approve: input.approve } : {}),
      };
      store.transaction(() => {
        store.runtimes.insert(input.slug, config, source, iso());
        announce(store.runtimes.addVersion(input.slug, config, 'create', iso()));
      });
      return toData(row(input.slug));
    },

    list(): AgentRuntimeData[] {
      return store.runtimes.list().map(toData);
    },

    get(slug: string): AgentRuntimeData {
      return toData(row(slug));
    },

    /** The stored config with secrets intact, for running. */
    config(slug: string): RuntimeConfig {
      return row(slug).config;
    },

    update(slug: string, body: UpdateRuntimeBody, source?: RuntimeRow['source']): AgentRuntimeData {
      const current = row(slug);
      const patch = parseInput(updateRuntimeSchema, body, 'runtime update');
      checkModel(patch.model);
      checkTools(patch, hooks.toolProblem);
      const model = patch.model ?? current.config.model;
      // A client echoing back the redacted key means "keep the key you have".
      const keptModel =
        typeof model === 'object' &&
        model.provider === 'custom' &&
        model.apiKey === REDACTED_KEY &&
        typeof current.config.model === 'object' &&
        current.config.model.provider === 'custom'
          ? { ...model, apiKey: current.config.model.apiKey }
          : model;
      const config: RuntimeConfig = { ...current.config, ...patch, model: keptModel };
      store.runtimes.update(slug, config, source ?? current.source, iso());
      return toData(row(slug));
    },

    delete(slug: string): void {
      row(slug);
      const users = store.deployments.usingRuntime(slug).map((d) => d.apiSlug);
      if (users.length > 0) {
        throw conflict(
          `runtime "${slug}" is used by deployment${users.length > 1 ? 's' : ''} ${users.map((u) => `"${u}"`).join(', ')}; delete ${users.length > 1 ? 'them' : 'it'} first`,
          { deployments: users },
        );
      }
      store.runtimes.remove(slug);
    },

    createVersion(slug: string, reason = 'createVersion'): RuntimeVersion {
      const runtime = row(slug);
      return versionData(announce(store.runtimes.addVersion(slug, runtime.config, reason, iso())));
    },

    /** The newest version if it matches the current config, else a new version made for `reason`. */
    ensureVersion(slug: string, reason: string): RuntimeVersion {
      const runtime = row(slug);
      const latest = store.runtimes.latestVersion(slug);
      if (latest && configKey(latest) === configKey(runtime.config)) return latest;
      return announce(store.runtimes.addVersion(slug, runtime.config, reason, iso()));
    },

    versions(slug: string): RuntimeVersion[] {
      row(slug);
      return store.runtimes.versions(slug).map(versionData);
    },

    version(slug: string, version: number, redact = true): RuntimeVersion {
      row(slug);
      const found = store.runtimes.version(slug, version);
      if (!found) {
        const latest = store.runtimes.latestVersion(slug)?.version ?? 0;
        throw notFound(`runtime "${slug}" has no version ${version}; its versions are 1 to ${latest}`);
      }
      return redact ? versionData(found) : found;
    },

    rollback(slug: string, body: { version: number }): AgentRuntimeData {
      const { version } = parseInput(rollbackSchema, body, 'rollback');
      const target = this.version(slug, version, false);
      refuseIfConfigOwned(slug, version);
      const config = runtimeConfigOf(target);
      store.transaction(() => {
        store.runtimes.update(slug, config, row(slug).source, iso());
        announce(store.runtimes.addVersion(slug, config, `rollback to ${version}`, iso()));
      });
      return toData(row(slug));
    },
  };
}

import path from 'node:path';
import type { WebSearchSettings } from '../../tools/types.js';
import type { RunToolsApi } from '../api/contract.js';
import { notFound } from '../api/errors.js';
import { denySchema, parseInput } from '../api/schemas.js';
import {
  type AgentRunData,
  BUILTIN_TOOLS,
  isTerminal,
  type RuntimeVersion,
  type TemplateData,
} from '../api/types.js';
import { EvalService } from '../evals/service.js';
import type { Store } from '../store/store.js';
import { createDeploymentService, type DeploymentService } from './deployments.js';
import type { RunParts } from './parts.js';
import { RunService } from './runs.js';
import { type ConfigSource, createRuntimeService, type RuntimeService } from './runtimes.js';
import { createSecretSource, type SecretSource } from './secrets.js';
import { loadWebhookSecret, WebhookSender } from './webhooks.js';
import { createWorkspaceService, type WorkspaceService } from './workspaces.js';

/** Project-wide settings from runtools.config.ts; hot reload replaces them. */
export interface EngineSettings {
  /** The sandbox of deployments that do not choose one. */
  defaultSandbox: 'docker' | 'local';
  webSearch?: WebSearchSettings;
}

/** A run starting or ending, for a log line (the dev server prints one per change). */
/** A run's turning points for a log: started once, paused and resumed any number of times, ended. */
export type RunLifecycle = {
  kind: 'started' | 'paused' | 'resumed' | 'ended';
  run: AgentRunData;
  /** Why it paused (from the status event: the run may have moved on by the time a listener reads it). */
  reason?: string;
};

/** What the engine needs to know about templates; the sandbox's template registry provides it. */
export interface TemplateCatalog {
  list(): TemplateData[];
}

export interface EngineOptions {
  store: Store;
  dataDir: string;
  /** Folder relative paths in runtimes (scripts) resolve against: the config file's folder. */
  projectDir?: string;
  templates: TemplateCatalog;
  /** Sandboxes, models and tools runs are made of. */
  parts: RunParts;
  /** Delays between webhook attempts (tests shorten them). */
  webhookBackoffMs?: number[];
  log?: (message: string) => void;
  /** Released on close (see lock.ts). */
  lock?: { release(): void };
  env?: Record<string, string | undefined>;
  /** A `.env` file whose values back deployment secrets. */
  envFile?: string;
  baseUrl?: string;
  defaultSandbox?: 'docker' | 'local';
  now?: () => Date;
}

/**
 * The core: wires the store, runtimes, deployments, workspaces and runs. It implements the whole
 * API in-process; the HTTP server is a thin layer over it.
 */
export class Engine implements RunToolsApi {
  readonly store: Store;
  readonly dataDir: string;
  readonly projectDir: string;
  readonly secrets: SecretSource;
  readonly runtimeService: RuntimeService;
  readonly deploymentService: DeploymentService;
  readonly workspaceService: WorkspaceService;
  readonly runService: RunService;
  readonly webhooks: WebhookSender;
  /** Tools beyond the six; absent when the parts have none. */
  readonly toolsets: RunParts['toolsets'];
  readonly evalService: EvalService;
  private readonly templateCatalog: TemplateCatalog;
  private baseUrl: string;
  private readonly lock: { release(): void } | undefined;
  private readonly parts: RunParts;
  settings: EngineSettings;
  /** Runtimes a config file owns (set by the config sync), so rollback can point at the file. */
  private configSources = new Map<string, ConfigSource>();
  private readonly versionListeners = new Set<(version: RuntimeVersion) => void>();
  private readonly runListeners = new Set<(change: RunLifecycle) => void>();

  constructor(options: EngineOptions) {
    const now = options.now ?? (() => new Date());
    this.store = options.store;
    this.lock = options.lock;
    this.parts = options.parts;
    this.dataDir = options.dataDir;
    this.projectDir = options.projectDir ?? process.cwd();
    this.templateCatalog = options.templates;
    this.baseUrl = options.baseUrl ?? 'http://127.0.0.1:4400';
    this.settings = { defaultSandbox: options.defaultSandbox ?? 'docker' };
    this.secrets = createSecretSource(options.env ?? process.env, options.envFile);
    const toolsets = options.parts.toolsets;
    this.toolsets = toolsets;
    const toolProblem = toolsets && ((name: string) => toolsets.problem(name));
    this.runtimeService = createRuntimeService(this.store, now, {
      configSource: (slug) => this.configSources.get(slug),
      onVersion: (version) => {
        for (const listener of this.versionListeners) listener(version);
      },
      ...(toolProblem ? { toolProblem } : {}),
    });
    this.workspaceService = createWorkspaceService(this.store, this.dataDir, now);
    this.deploymentService = createDeploymentService({
      store: this.store,
      now,
      baseUrl: () => this.baseUrl,
      templateSlugs: () => this.templateCatalog.list().map((t) => t.slug),
      missingSecrets: (names) => this.secrets.missing(names),
      defaultSandbox: () => this.settings.defaultSandbox,
      toolProblem: (name) => {
        if ((BUILTIN_TOOLS as readonly string[]).includes(name)) return undefined;
        return toolProblem
          ? toolProblem(name)
          : `unknown tool "${name}"; valid tools are ${BUILTIN_TOOLS.join(', ')}`;
      },
    });
    const env = options.env ?? process.env;
    this.webhooks = new WebhookSender({
      secret: loadWebhookSecret(this.dataDir, env),
      store: this.store.webhooks,
      backoffMs: options.webhookBackoffMs,
      now,
    });
    this.runService = new RunService({
      store: this.store,
      parts: options.parts,
      runtimes: this.runtimeService,
      deployments: this.deploymentService,
      workspaces: this.workspaceService,
      secrets: this.secrets,
      webhooks: this.webhooks,
      toolSettings: () => ({ webSearch: this.settings.webSearch, env }),
      now,
      log: options.log ?? ((message) => process.stderr.write(`${message}\n`)),
    });
    this.evalService = new EvalService({
      store: this.store,
      runs: this.runService,
      workspaces: this.workspaceService,
      runtimes: this.runtimeService,
      deployments: this.deploymentService,
      parts: options.parts,
      projectDir: this.projectDir,
      now,
      log: options.log ?? ((message) => process.stderr.write(`${message}\n`)),
    });
  }

  /** Marks runs a previous server left unfinished as interrupted; returns their ids. */
  recover(): Promise<string[]> {
    this.evalService.recover();
    return this.runService.recover();
  }

  /** Replaces project settings (hot reload); runs in progress keep the settings they started with. */
  applySettings(settings: Partial<EngineSettings>): void {
    this.settings = { ...this.settings, ...settings };
  }

  /** The runtimes the config file owns now, with the files they come from (replaced on each sync). */
  setConfigSources(sources: Map<string, ConfigSource>): void {
    this.configSources = new Map(sources);
  }

  /** Calls `listener` with every runtime version made, whatever made it; returns the unsubscribe. */
  onVersion(listener: (version: RuntimeVersion) => void): () => void {
    this.versionListeners.add(listener);
    return () => this.versionListeners.delete(listener);
  }

  /** Calls `listener` when a run starts running and when it ends; returns the unsubscribe. */
  onRun(listener: (change: RunLifecycle) => void): () => void {
    this.runListeners.add(listener);
    return () => this.runListeners.delete(listener);
  }

  /**
   * Starts a run. A mount of a workspace that does not exist creates it, empty (as the platform's
   * managed workspaces are); the run's events say so, since a typo in the id looks just like that.
   */
  private startRun(apiSlug: string, body: Parameters<RunToolsApi['runs']['run']>[1]): string {
    const mounts = Array.isArray(body?.mounts) ? (body.mounts as { workspaceId?: unknown }[]) : [];
    const fresh = mounts
      .map((m) => m.workspaceId)
      .filter((id): id is string => typeof id === 'string' && !this.store.workspaces.get(id));
    const { id } = this.runService.start(apiSlug, body);
    for (const workspace of new Set(fresh)) {
      this.runService.events.append(id, {
        type: 'status',
        status: 'queued',
        reason: `workspace "${workspace}" does not exist: the run creates it as an empty managed workspace (check the id if you meant an existing one)`,
      });
    }
    this.watchRun(id);
    return id;
  }

  /** Follows a new run's status events for the run listeners, when there are any. */
  private watchRun(id: string): void {
    if (this.runListeners.size === 0) return;
    const tell = (kind: RunLifecycle['kind'], reason?: string) => {
      const run = this.runService.get(id);
      for (const listener of this.runListeners) listener({ kind, run, ...(reason ? { reason } : {}) });
    };
    void (async () => {
      let started = false;
      for await (const event of this.runService.events$(id, { after: 0 })) {
        if (event.type !== 'status') continue;
        if (event.status === 'running') tell(started ? 'resumed' : 'started');
        if (event.status === 'running') started = true;
        if (event.status === 'paused') tell('paused', event.reason);
        if (isTerminal(event.status)) {
          tell('ended');
          return;
        }
      }
    })().catch(() => undefined);
  }

  /** Called by the server once it knows its address, so `apiEndpoint` points at it. */
  setBaseUrl(url: string): void {
    this.baseUrl = url.replace(/\/+$/, '');
  }

  readonly runtimes: RunToolsApi['runtimes'] = {
    create: async (body) => this.runtimeService.create(body),
    list: async () => this.runtimeService.list(),
    get: async (slug) => this.runtimeService.get(slug),
    update: async (slug, body) => this.runtimeService.update(slug, body),
    delete: async (slug) => this.runtimeService.delete(slug),
    createVersion: async (slug) => this.runtimeService.createVersion(slug),
    versions: async (slug) => this.runtimeService.versions(slug),
    version: async (slug, version) => this.runtimeService.version(slug, version),
    rollback: async (slug, body) => this.runtimeService.rollback(slug, body),
  };

  readonly deployments: RunToolsApi['deployments'] = {
    create: async (body) => {
      const created = this.deploymentService.create(body);
      this.runService.prewarm(created.apiSlug);
      return created;
    },
    list: async () => this.deploymentService.list(),
    get: async (apiSlug) => this.deploymentService.get(apiSlug),
    update: async (apiSlug, body) => {
      const updated = this.deploymentService.update(apiSlug, body);
      this.runService.deploymentChanged(apiSlug);
      return updated;
    },
    delete: async (apiSlug) => this.deploymentService.delete(apiSlug),
  };

  readonly workspaces: RunToolsApi['workspaces'] = {
    create: async (body) => this.workspaceService.create(body),
    list: async () => this.workspaceService.list(),
    get: async (id) => this.workspaceService.get(id),
    delete: async (id) => this.workspaceService.delete(id),
  };

  readonly templates: RunToolsApi['templates'] = {
    list: async () => this.templateCatalog.list(),
  };

  readonly runs: RunToolsApi['runs'] = {
    run: async (apiSlug, body) => {
      const id = this.startRun(apiSlug, body);
      return this.runService.wait(id);
    },
    stream: async (apiSlug, body) => {
      const id = this.startRun(apiSlug, body);
      return { runId: id, events: this.runService.events$(id, { after: 0 }) };
    },
    get: async (id) => this.runService.detail(id),
    list: async (query) => this.runService.list(query),
    events: (id, options) => this.runService.events$(id, options),
    pause: async (id) => this.runService.pause(id),
    resume: async (id) => this.runService.resume(id),
    cancel: (id) => this.runService.cancel(id),
    sendInput: async (id, body) => this.runService.sendInput(id, body.message),
    deny: async (id, body) => this.runService.deny(id, parseInput(denySchema, body, 'deny').reason),
    listFiles: (id, dir) => this.runService.listFiles(id, dir),
    readFile: (id, path) => this.runService.readFile(id, path),
    import: async (bundle) => this.runService.import(bundle),
  };

  readonly integrations: RunToolsApi['integrations'] = {
    list: async () => this.toolsets?.integrations() ?? [],
    view: async (name, view) => {
      if (!this.toolsets) throw notFound(`integration "${name}" not found; this server has no stand-ins`);
      return this.toolsets.view(name, view);
    },
  };

  readonly evals: RunToolsApi['evals'] = {
    start: async (body) => this.evalService.start(body),
    get: async (id) => this.evalService.get(id),
    list: async () => this.evalService.list(),
    cancel: (id) => this.evalService.cancel(id),
  };

  /** Path of the data dir's API key file. */
  get keyFile(): string {
    return path.join(this.dataDir, 'api-key');
  }

  /** Gets the next runs ready: a warm container for each Docker deployment (when the server keeps them). */
  prewarm(): void {
    for (const deployment of this.deploymentService.list()) this.runService.prewarm(deployment.apiSlug);
    // The adapters and tools the parts import on first use: loaded now, so the first run does not wait.
    this.parts.load?.().catch(() => {});
  }

  /** Warm containers ready for runs to take now (0 when the server keeps none). */
  warmContainers(): number {
    return this.parts.warmContainers?.() ?? 0;
  }

  /**
   * Ends every live run as `interrupted` and waits for them (a server stopping: before it closes).
   * Live evals stop first, so none starts a trial meanwhile or counts an interrupted run as failed:
   * they end `cancelled`, saying the server stopped, with what finished kept.
   */
  async interruptRuns(): Promise<void> {
    const evals = this.evalService.stopAll();
    await this.runService.stopAll('interrupted');
    await evals;
  }

  /**
   * Stops live runs, lets webhooks finish, and closes the store. Runs still going end
   * `interrupted` (the server stopped under them), as a restart after a crash records them.
   */
  async close(): Promise<void> {
    await this.interruptRuns();
    await this.toolsets?.close();
    await this.parts.close?.().catch(() => {});
    await this.webhooks.close();
    this.store.close();
    this.lock?.release();
  }
}

import { priceUsage } from '../models/pricing.js';
import type { DockerSandboxFactory } from '../sandbox/docker-factory.js';
import { LocalSandboxFactory } from '../sandbox/local-factory.js';
import type { BuildProgress } from '../sandbox/template-build.js';
import type { TemplateRegistry } from '../sandbox/templates.js';
import type { SandboxFactory } from '../sandbox/types.js';
import type { WarmPoolLimits } from '../sandbox/warm-pool.js';
import type { Store } from '../store/store.js';
import { ToolsetRegistry } from '../toolsets/registry.js';
import type { RunParts } from './parts.js';

export interface RealPartsOptions {
  templates: TemplateRegistry;
  store: Store;
  env: Record<string, string | undefined>;
  /** Relative script paths of scripted models resolve here. */
  projectDir: string;
  onBuildProgress?: (template: string, progress: BuildProgress) => void;
  warn?: (message: string) => void;
  /**
   * Warm Docker containers made ahead for runs (off when absent). `owner` (one per data dir) marks
   * them, so the next server of that data dir removes any this one left.
   */
  warm?: Partial<WarmPoolLimits> & { owner: string };
  /** `runtools dev --live`: integrations whose live provider serves (see ToolsetRegistryOptions). */
  live?: readonly string[];
  /** Where `record: true` toolsets write their JSONL (the data dir's recordings/). */
  recordDir?: string;
}

/**
 * The real parts: Docker and local sandboxes, the provider adapters, the built-in tools.
 * dockerode, the change watcher (chokidar, diff), the adapters and the tools load on first use, not
 * when the engine starts: `runtools dev` answers sooner, and a server that only runs local runs
 * never loads dockerode.
 */
export function realParts(options: RealPartsOptions): RunParts {
  // Build steps go to the CLI's printer and to every run waiting on that template's image.
  const buildWatchers = new Map<string, Set<(step: string) => void>>();
  const onBuildProgress = (template: string, progress: BuildProgress) => {
    options.onBuildProgress?.(template, progress);
    const step =
      progress.type === 'step'
        ? `step ${progress.index}/${progress.total}: ${progress.step}`
        : progress.type === 'done'
          ? `built ${progress.image}`
          : undefined;
    if (step) for (const watcher of buildWatchers.get(template) ?? []) watcher(step);
  };
  let dockerFactory: Promise<DockerSandboxFactory> | undefined;
  let dockerLoaded: DockerSandboxFactory | undefined;
  const docker = () =>
    (dockerFactory ??= import('../sandbox/docker-factory.js').then(
      ({ DockerSandboxFactory }) =>
        (dockerLoaded = new DockerSandboxFactory({
          templates: options.templates,
          onBuildProgress,
          warm: options.warm,
        })),
    ));
  const runCode = lazyRunCode();
  return {
    load: runCode.load,
    sandboxes: {
      docker: onFirstUse(docker, options.warm !== undefined),
      local: new LocalSandboxFactory({ warn: options.warn }),
    },
    createModel: (config) =>
      runCode.loaded().models.createModelAdapter(config, {
        env: options.env,
        baseDir: options.projectDir,
        recordedTurns: (runId) => options.store.runs.recordedTurns(runId),
        ...(options.warn ? { log: options.warn } : {}),
      }),
    toolSpecs: (names) => runCode.loaded().tools.toolSpecs(names),
    executeTool: async (name, input, ctx) => {
      await runCode.load();
      return runCode.loaded().tools.executeTool(name, input, ctx);
    },
    toolsets: new ToolsetRegistry(options.store.db, {
      log: options.warn ?? ((m) => process.stderr.write(`${m}\n`)),
      ...(options.live ? { live: options.live } : {}),
      ...(options.recordDir ? { recordDir: options.recordDir } : {}),
    }),
    trackChanges: async (hostDir, onChange) => {
      const { startChangeTracking } = await import('../sandbox/changes.js');
      return startChangeTracking(hostDir, { onChange, sandboxPath: '/workspace' });
    },
    price: (model, usage) => priceUsage(model.model, usage, model.provider, model.price),
    watchBuilds: (template, listener) => {
      const watchers = buildWatchers.get(template) ?? new Set();
      buildWatchers.set(template, watchers);
      watchers.add(listener);
      return () => watchers.delete(listener);
    },
    removeRunContainers: async (runIds) => {
      const [{ removeRunContainers }, factory] = await Promise.all([
        import('../sandbox/docker-factory.js'),
        docker(),
      ]);
      await removeRunContainers(factory.docker, runIds);
    },
    warmContainers: () => dockerLoaded?.warmReady() ?? 0,
    close: async () => {
      // Only a factory that was made has warm containers to remove.
      if (dockerFactory) await (await dockerFactory).close();
    },
  };
}

interface RunCode {
  models: typeof import('../models/registry.js');
  tools: typeof import('../../tools/registry.js');
}

/** The model adapters and the built-in tools, imported by the first `load()`. */
function lazyRunCode(): { load(): Promise<void>; loaded(): RunCode } {
  let loading: Promise<void> | undefined;
  let code: RunCode | undefined;
  return {
    load: () =>
      (loading ??= Promise.all([import('../models/registry.js'), import('../../tools/registry.js')]).then(
        ([models, tools]) => {
          code = { models, tools };
        },
      )),
    loaded: () => {
      // RunParts.load() is awaited before createModel and toolSpecs; this names a caller that did not.
      if (!code) throw new Error('the model adapters and tools are not loaded yet: await parts.load() first');
      return code;
    },
  };
}

/**
 * A sandbox factory whose module is loaded the first time a sandbox is made (or, when it keeps warm
 * ones, the first time one is asked to be made ahead).
 */
function onFirstUse(load: () => Promise<SandboxFactory>, warm: boolean): SandboxFactory {
  let loaded: SandboxFactory | undefined;
  return {
    create: async (spec, signal) => {
      loaded ??= await load();
      return loaded.create(spec, signal);
    },
    // No sandbox was made before the factory loaded, so none can be running without it.
    running: (runId) => loaded?.running?.(runId),
    ...(warm
      ? {
          prewarm: (spec) => {
            void load()
              .then((factory) => {
                loaded ??= factory;
                factory.prewarm?.(spec);
              })
              .catch(() => {});
          },
        }
      : {}),
  };
}

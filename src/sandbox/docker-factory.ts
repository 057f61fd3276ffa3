import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { infraError } from './docker-exec.js';
import { DockerSandbox } from './docker-sandbox.js';
import { dockerUnreachable } from './errors.js';
import { ContainerFileServer, type FileServerOptions } from './file-server.js';
import { containerUser } from './ownership.js';
import { type BuildProgress, ensureImage, imageExists } from './template-build.js';
import type { TemplateRegistry } from './templates.js';
import type { Sandbox, SandboxFactory, SandboxMount, SandboxSpec } from './types.js';
import { DEFAULT_WARM_POOL, WarmPool, type WarmPoolLimits } from './warm-pool.js';

export interface DockerSandboxFactoryOptions {
  /** Where template folders are found (project first, then the shipped ones). */
  templates: TemplateRegistry;
  /** Defaults to the local engine (DOCKER_HOST or the default socket). */
  docker?: Docker;
  /** Build steps of a template image being built for a run (the CLI prints them). */
  onBuildProgress?: (template: string, progress: BuildProgress) => void;
  /** Options of each container's file server (tests force its bash version). */
  fileServer?: FileServerOptions;
  /**
   * Warm containers, made ahead and taken by runs whose container would be made the same way.
   * `owner` names this server's (one per data dir): its leftover warm containers are removed when
   * the next server with that owner starts. Without `warm` (or with perKey 0) every run makes its own.
   */
  warm?: Partial<WarmPoolLimits> & { owner: string };
}

/** How a run's container is made, less what is the run's own (its id, its env, a fresh /workspace). */
interface Recipe {
  image: string;
  template: string;
  user: { uid: number; gid: number };
  /** Mounts; a fresh managed /workspace has hostPath FRESH and gets a folder of its own. */
  mounts: SandboxMount[];
  network: SandboxSpec['network'];
  limits: SandboxSpec['limits'];
  publish: number[];
  /** Where a fresh /workspace folder is made (beside the run's own managed folder). */
  freshRoot?: string;
}

const FRESH = '(fresh)';

/** A container made and started, with its file server warming. */
interface Made {
  container: Docker.Container;
  ports: Map<number, number>;
  files: ContainerFileServer;
  /** The folder bound at /workspace when the recipe asked for a fresh one. */
  freshDir?: string;
}

const abortError = (): Error =>
  Object.assign(new Error('the operation was cancelled'), { name: 'AbortError' });

/** Makes one hardened container per run from its template's image. */
export class DockerSandboxFactory implements SandboxFactory {
  readonly docker: Docker;
  private readonly templates: TemplateRegistry;
  private readonly onBuildProgress: DockerSandboxFactoryOptions['onBuildProgress'];
  private readonly fileServer: FileServerOptions | undefined;
  /** Sandboxes made and not yet disposed, by run id. */
  private readonly live = new Map<string, DockerSandbox>();
  private readonly pool: WarmPool<Made, Recipe> | undefined;
  private readonly owner: string | undefined;
  private readonly sweeping: Promise<void> | undefined;

  constructor(options: DockerSandboxFactoryOptions) {
    this.docker = options.docker ?? new Docker();
    this.templates = options.templates;
    this.onBuildProgress = options.onBuildProgress;
    this.fileServer = options.fileServer;
    if (options.warm) {
      const limits = { ...DEFAULT_WARM_POOL, ...options.warm };
      this.owner = options.warm.owner;
      // Leftovers of an earlier server of this owner go before this one makes any.
      this.sweeping = this.sweep(this.owner);
      const sweeping = this.sweeping;
      this.pool = new WarmPool<Made, Recipe>(
        limits,
        async (recipe) => {
          await sweeping;
          return this.make(recipe);
        },
        (made) => this.discard(made),
      );
    }
  }

  /** Throws SandboxError with how to start Docker when no engine answers. */
  async ping(): Promise<void> {
    try {
      await this.docker.ping();
    } catch (error) {
      throw dockerUnreachable(error);
    }
  }

  running(runId: string): Sandbox | undefined {
    return this.live.get(runId);
  }

  async create(spec: SandboxSpec, signal?: AbortSignal): Promise<Sandbox> {
    await this.ping();
    // The sweep removes containers by this server's owner label: none of this server's may exist yet.
    await this.sweeping;
    const template = this.templates.get(spec.template);
    const image = await ensureImage(this.docker, template, {
      onProgress: (p) => this.onBuildProgress?.(template.slug, p),
    });
    this.templates.markBuilt(image);
    if (signal?.aborted) throw abortError();
    const recipe = this.recipeOf(spec, image, template.slug, template.ports);
    const key = JSON.stringify(recipe);
    const warm = this.pool?.take(key);
    const made = (warm && this.adopt(warm, spec)) || (await this.make(recipe, spec));
    // Warm or not, the next run of this kind should find one ready (made after this run's own, so
    // the two do not compete for the engine).
    this.pool?.refill(key, recipe, recipe.freshRoot !== undefined);
    const sandbox = new DockerSandbox({
      container: made.container,
      mounts: spec.mounts,
      ports: made.ports,
      server: made.files,
      env: spec.env,
    });
    this.live.set(spec.runId, sandbox);
    sandbox.onDispose(() => {
      if (this.live.get(spec.runId) === sandbox) this.live.delete(spec.runId);
    });
    if (signal?.aborted) {
      await sandbox.dispose();
      throw abortError();
    }
    return sandbox;
  }

  prewarm(spec: Omit<SandboxSpec, 'runId' | 'env'>): void {
    const pool = this.pool;
    if (!pool) return;
    void (async () => {
      await this.docker.ping();
      const template = this.templates.get(spec.template);
      // Only a built image: a build is a run's to start (and to show), not the server's at rest.
      if (!(await imageExists(this.docker, template.image))) return;
      const recipe = this.recipeOf(spec, template.image, template.slug, template.ports);
      pool.refill(JSON.stringify(recipe), recipe, true);
    })().catch(() => {});
  }

  /** Warm containers ready for runs to take (0 when the pool is off). */
  warmReady(): number {
    return this.pool?.size ?? 0;
  }

  /** Removes the warm containers (server shutdown). Runs' own containers are theirs to dispose. */
  async close(): Promise<void> {
    await this.pool?.drain();
    await this.sweeping;
  }

  private recipeOf(
    spec: Omit<SandboxSpec, 'runId' | 'env'>,
    image: string,
    template: string,
    ports: number[],
  ): Recipe {
    const workspace = spec.mounts.find((m) => m.containerPath === '/workspace');
    const fresh = spec.freshWorkspace === true && workspace !== undefined;
    return {
      image,
      template,
      user: containerUser(workspace?.hostPath),
      mounts: spec.mounts.map((m) => (fresh && m === workspace ? { ...m, hostPath: FRESH } : m)),
      network: spec.network,
      limits: spec.limits,
      publish: spec.network === 'bridge' ? ports : [],
      ...(fresh ? { freshRoot: path.join(path.dirname(workspace.hostPath), '.warm') } : {}),
    };
  }

  /**
   * A warm container becomes the run's: its fresh folder takes the run's managed workspace's place
   * (a bind mount follows the folder it was made from, so the container sees the same files).
   * Undefined when that cannot be done (the run's folder is not empty): the run makes its own.
   */
  private adopt(warm: Made, spec: SandboxSpec): Made | undefined {
    if (warm.freshDir) {
      const target = spec.mounts.find((m) => m.containerPath === '/workspace')!.hostPath;
      try {
        // rename(2) replaces an empty folder in one step (a non-empty one fails: ENOTEMPTY), so the
        // run's folder never goes missing for a reader (run.files, the studio) in between.
        renameSync(warm.freshDir, target);
      } catch {
        void this.discard(warm);
        return undefined;
      }
    }
    return { ...warm, freshDir: undefined };
  }

  private async make(recipe: Recipe, spec?: SandboxSpec): Promise<Made> {
    let freshDir: string | undefined;
    if (!spec && recipe.freshRoot) {
      freshDir = path.join(recipe.freshRoot, randomBytes(8).toString('hex'));
      mkdirSync(freshDir, { recursive: true });
    }
    const mounts = recipe.mounts.map((m, i) =>
      m.hostPath === FRESH ? { ...m, hostPath: spec ? spec.mounts[i]!.hostPath : freshDir! } : m,
    );
    const labels: Record<string, string> = { runtools: '1', 'runtools.template': recipe.template };
    if (spec) labels['runtools.run'] = spec.runId;
    if (this.owner) labels['runtools.owner'] = this.owner;
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer({
        Image: recipe.image,
        Entrypoint: ['sleep'],
        Cmd: ['infinity'],
        User: `${recipe.user.uid}:${recipe.user.gid}`,
        WorkingDir: '/workspace',
        // The run's own variables (its secrets) go to each command, not into the container's
        // config: a warm container is made before its run is known, and `docker inspect` of a
        // container does not show them.
        Env: ['HOME=/tmp'],
        Labels: labels,
        ExposedPorts: Object.fromEntries(recipe.publish.map((p) => [`${p}/tcp`, {}])),
        HostConfig: {
          Binds: mounts.map((m) => `${m.hostPath}:${m.containerPath}:${m.readOnly ? 'ro' : 'rw'}`),
          CapDrop: ['ALL'],
          SecurityOpt: ['no-new-privileges'],
          PidsLimit: recipe.limits.pids,
          Memory: recipe.limits.memoryMb * 1024 * 1024,
          MemorySwap: recipe.limits.memoryMb * 1024 * 1024,
          NanoCpus: Math.round(recipe.limits.cpus * 1e9),
          NetworkMode: recipe.network === 'none' ? 'none' : 'bridge',
          // Random host ports on loopback only: a dev server is reachable from this machine, not the LAN.
          PortBindings: Object.fromEntries(
            recipe.publish.map((p) => [`${p}/tcp`, [{ HostIp: '127.0.0.1', HostPort: '' }]]),
          ),
          // tini as PID 1 reaps the zombies that killed process groups leave behind.
          Init: true,
        },
      });
    } catch (error) {
      if (freshDir) rmSync(freshDir, { recursive: true, force: true });
      throw infraError(error, spec?.runId ?? 'a warm container');
    }
    try {
      await container.start();
      const ports = new Map<number, number>();
      if (recipe.publish.length > 0) {
        const info = await container.inspect();
        for (const p of recipe.publish) {
          const hostPort = info.NetworkSettings.Ports?.[`${p}/tcp`]?.[0]?.HostPort;
          if (hostPort) ports.set(p, Number(hostPort));
        }
      }
      const files = new ContainerFileServer(container, this.fileServer);
      // The file server starts with the container, so the first file operation finds it ready; a
      // warm container counts as ready only once its server answers (it is a process to start too).
      if (spec) files.warm();
      else await files.mode();
      return { container, ports, files, freshDir };
    } catch (error) {
      await container.remove({ force: true }).catch(() => {});
      if (freshDir) rmSync(freshDir, { recursive: true, force: true });
      throw infraError(error, container.id);
    }
  }

  private async discard(made: Made): Promise<void> {
    made.files.close();
    await made.container.remove({ force: true, v: true }).catch(() => {});
    if (made.freshDir) rmSync(made.freshDir, { recursive: true, force: true });
  }

  /** Warm containers a server with this owner left behind (it stopped without draining). */
  private async sweep(owner: string): Promise<void> {
    const left = await this.docker
      .listContainers({ all: true, filters: { label: [`runtools.owner=${owner}`] } })
      .catch(() => []);
    await Promise.all(
      left.map((info) =>
        this.docker
          .getContainer(info.Id)
          .remove({ force: true, v: true })
          .catch(() => {}),
      ),
    );
  }
}

/**
 * Removes the containers of the given runs (all runtools run containers when no ids are given),
 * for example those left behind by a server that stopped mid-run. Returns how many were removed.
 */
export async function removeRunContainers(docker: Docker, runIds?: string[]): Promise<number> {
  const labels = runIds ? runIds.map((id) => `runtools.run=${id}`) : ['runtools=1'];
  let removed = 0;
  for (const label of labels) {
    let found: Docker.ContainerInfo[];
    try {
      found = await docker.listContainers({ all: true, filters: { label: [label] } });
    } catch (error) {
      throw dockerUnreachable(error);
    }
    for (const info of found) {
      await docker
        .getContainer(info.Id)
        .remove({ force: true, v: true })
        .then(() => removed++)
        .catch(() => {});
    }
  }
  return removed;
}

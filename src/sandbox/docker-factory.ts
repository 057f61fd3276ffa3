import Docker from 'dockerode';
import { infraError } from './docker-exec.js';
import { DockerSandbox } from './docker-sandbox.js';
import { dockerUnreachable } from './errors.js';
import type { FileServerOptions } from './file-server.js';
import { containerUser } from './ownership.js';
import { type BuildProgress, ensureImage } from './template-build.js';
import type { TemplateRegistry } from './templates.js';
import type { Sandbox, SandboxFactory, SandboxSpec } from './types.js';

export interface DockerSandboxFactoryOptions {
  /** Where template folders are found (project first, then the shipped ones). */
  templates: TemplateRegistry;
  /** Defaults to the local engine (DOCKER_HOST or the default socket). */
  docker?: Docker;
  /** Build steps of a template image being built for a run (the CLI prints them). */
  onBuildProgress?: (template: string, progress: BuildProgress) => void;
  /** Options of each container's file server (tests force its bash version). */
  fileServer?: FileServerOptions;
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

  constructor(options: DockerSandboxFactoryOptions) {
    this.docker = options.docker ?? new Docker();
    this.templates = options.templates;
    this.onBuildProgress = options.onBuildProgress;
    this.fileServer = options.fileServer;
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
    const template = this.templates.get(spec.template);
    const image = await ensureImage(this.docker, template, {
      onProgress: (p) => this.onBuildProgress?.(template.slug, p),
    });
    this.templates.markBuilt(image);
    if (signal?.aborted) throw abortError();
    const user = containerUser(spec.mounts.find((m) => m.containerPath === '/workspace')?.hostPath);
    const publish = spec.network === 'bridge' ? template.ports : [];
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer({
        Image: image,
        Entrypoint: ['sleep'],
        Cmd: ['infinity'],
        User: `${user.uid}:${user.gid}`,
        WorkingDir: '/workspace',
        Env: Object.entries({ HOME: '/tmp', ...spec.env }).map(([k, v]) => `${k}=${v}`),
        Labels: { runtools: '1', 'runtools.run': spec.runId, 'runtools.template': template.slug },
        ExposedPorts: Object.fromEntries(publish.map((p) => [`${p}/tcp`, {}])),
        HostConfig: {
          Binds: spec.mounts.map((m) => `${m.hostPath}:${m.containerPath}:${m.readOnly ? 'ro' : 'rw'}`),
          CapDrop: ['ALL'],
          SecurityOpt: ['no-new-privileges'],
          PidsLimit: spec.limits.pids,
          Memory: spec.limits.memoryMb * 1024 * 1024,
          MemorySwap: spec.limits.memoryMb * 1024 * 1024,
          NanoCpus: Math.round(spec.limits.cpus * 1e9),
          NetworkMode: spec.network === 'none' ? 'none' : 'bridge',
          // Random host ports on loopback only: a dev server is reachable from this machine, not the LAN.
          PortBindings: Object.fromEntries(
            publish.map((p) => [`${p}/tcp`, [{ HostIp: '127.0.0.1', HostPort: '' }]]),
          ),
          // tini as PID 1 reaps the zombies that killed process groups leave behind.
          Init: true,
        },
      });
    } catch (error) {
      throw infraError(error, spec.runId);
    }
    try {
      await container.start();
      const info = await container.inspect();
      const ports = new Map<number, number>();
      for (const p of publish) {
        const hostPort = info.NetworkSettings.Ports?.[`${p}/tcp`]?.[0]?.HostPort;
        if (hostPort) ports.set(p, Number(hostPort));
      }
      const sandbox = new DockerSandbox({
        container,
        mounts: spec.mounts,
        ports,
        files: this.fileServer,
      });
      // The file server starts with the container, so the first file operation finds it ready.
      sandbox.files.warm();
      this.live.set(spec.runId, sandbox);
      sandbox.onDispose(() => {
        if (this.live.get(spec.runId) === sandbox) this.live.delete(spec.runId);
      });
      if (signal?.aborted) {
        await sandbox.dispose();
        throw abortError();
      }
      return sandbox;
    } catch (error) {
      await container.remove({ force: true }).catch(() => {});
      if ((error as Error).name === 'AbortError') throw error;
      throw infraError(error, container.id);
    }
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

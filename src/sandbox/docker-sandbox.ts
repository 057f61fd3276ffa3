import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type Docker from 'dockerode';
import { infraError, interactiveExec, rawExec, streamingExec } from './docker-exec.js';
import {
  ContainerFileError,
  ContainerFileServer,
  type FileServerOp,
  type FileServerOptions,
} from './file-server.js';
import { listeningFromProcNet, parseEntries } from './host-files.js';
import { KILL_EXEC } from './kill-script.js';
import { absoluteSandboxPath, assertWritable } from './mount-paths.js';
import { type PortWatch, watchPorts } from './port-watch.js';
import type {
  ExecOptions,
  ExecResult,
  FileEntry,
  OpenPort,
  Sandbox,
  SandboxMount,
  SandboxProcess,
  ShellProcess,
} from './types.js';

export interface DockerSandboxOptions {
  container: Docker.Container;
  mounts: SandboxMount[];
  /** Container port -> host port on 127.0.0.1, for the template's published ports. */
  ports: Map<number, number>;
  /** Options of the in-container file server (tests force its bash version). */
  files?: FileServerOptions;
  /** The file server, when the container's was started already (a warm container's). */
  server?: ContainerFileServer;
  /** The run's variables (its secrets): given to every command, not kept in the container's config. */
  env?: Record<string, string>;
}

/** The largest file readFile returns (read_file and run.files read text, not disk images). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

const abortError = (): Error =>
  Object.assign(new Error('the operation was cancelled'), { name: 'AbortError' });

/**
 * A run's container. Commands go through `docker exec`; file operations through one long-lived
 * file server inside the container (file-server.ts), a pipe round trip instead of an exec's ~30 ms.
 */
export class DockerSandbox implements Sandbox {
  readonly kind = 'docker' as const;
  readonly container: Docker.Container;
  readonly mounts: SandboxMount[];
  private readonly ports: Map<number, number>;
  private readonly env: Record<string, string>;
  /** The long-lived file server inside the container. */
  readonly files: ContainerFileServer;
  private disposed: Promise<void> | undefined;
  private readonly disposeListeners: (() => void)[] = [];

  constructor(options: DockerSandboxOptions) {
    this.container = options.container;
    this.mounts = options.mounts;
    this.ports = options.ports;
    this.env = options.env ?? {};
    this.files = options.server ?? new ContainerFileServer(options.container, options.files);
  }

  get id(): string {
    return this.container.id;
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (options.signal?.aborted) throw abortError();
    const token = randomUUID();
    const seconds = options.timeoutMs ? Math.max(1, Math.ceil(options.timeoutMs / 1000)) : 0;
    // The timeout is enforced inside the container: `timeout` kills its whole process group there.
    const cmd = seconds
      ? ['timeout', '-k', '1', `${seconds}s`, 'bash', '-c', command]
      : ['bash', '-c', command];
    const started = performance.now();
    const run = rawExec(this.container, cmd, {
      env: { ...this.env, ...options.env, RUNTOOLS_EXEC: token },
      cwd: options.cwd,
      stdin: options.stdin,
    });
    const result = options.signal ? await this.abortable(run, options.signal, token) : await run;
    const elapsed = performance.now() - started;
    const timedOut =
      seconds > 0 && (result.exitCode === 124 || result.exitCode === 137) && elapsed >= seconds * 1000 - 50;
    return {
      stdout: result.stdout.toString('utf8'),
      stderr: result.stderr.toString('utf8'),
      exitCode: result.exitCode,
      timedOut,
    };
  }

  private async abortable<T>(run: Promise<T>, signal: AbortSignal, token: string): Promise<T> {
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        void rawExec(this.container, ['bash', '-c', KILL_EXEC, '_', token]).catch(() => {});
        reject(abortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([run, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort!);
    }
  }

  /**
   * Files are read and written through the file server inside the container: the kernel
   * enforces the mounts, their read-only flags and where symlinks lead, exactly as for the
   * agent's own commands, and nothing on the host opens a file the agent controls.
   */
  async readFile(p: string): Promise<Buffer> {
    return this.fileOp('read', absoluteSandboxPath(p), MAX_FILE_BYTES);
  }

  async writeFile(p: string, data: string | Buffer): Promise<void> {
    const abs = absoluteSandboxPath(p);
    assertWritable(this.mounts, abs);
    const body = typeof data === 'string' ? Buffer.from(data) : data;
    await this.fileOp('write', abs, body.length, body);
  }

  async list(dir: string): Promise<FileEntry[]> {
    const abs = absoluteSandboxPath(dir);
    const text = (await this.fileOp('list', abs)).toString('utf8');
    return parseEntries(text, abs).sort((a, b) => a.name.localeCompare(b.name));
  }

  async stat(p: string): Promise<FileEntry | null> {
    const abs = absoluteSandboxPath(p);
    try {
      const [entry] = parseEntries(
        (await this.fileOp('stat', abs)).toString('utf8'),
        path.posix.dirname(abs),
      );
      return entry ? { ...entry, path: abs, name: path.posix.basename(abs) } : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async realpath(p: string): Promise<string> {
    return (await this.fileOp('realpath', absoluteSandboxPath(p))).toString('utf8').trim();
  }

  /** One request to the file server; a server that stopped because the container did is a SandboxError. */
  private async fileOp(op: FileServerOp, abs: string, n = 0, body?: Buffer): Promise<Buffer> {
    try {
      return await this.files.request(op, abs, n, body);
    } catch (error) {
      if (error instanceof ContainerFileError && (error.code === 'EPIPE' || error.code === 'EPROTO')) {
        if (!(await this.running()))
          throw infraError(
            Object.assign(new Error('the container stopped'), { statusCode: 409 }),
            this.container.id,
          );
      }
      throw error;
    }
  }

  async listeningPorts(): Promise<OpenPort[]> {
    if (this.ports.size === 0) return [];
    const result = await rawExec(this.container, ['cat', '/proc/net/tcp', '/proc/net/tcp6']);
    const listening = listeningFromProcNet(result.stdout.toString());
    return [...this.ports]
      .filter(([port]) => listening.has(port))
      .map(([port, hostPort]) => ({ port, url: `http://127.0.0.1:${hostPort}` }));
  }

  /** One long-lived exec that reports the template ports something listens on as they change. */
  watchPorts(listener: (open: OpenPort[]) => void): PortWatch | undefined {
    return this.ports.size > 0 ? watchPorts(this.container, this.ports, listener) : undefined;
  }

  async openShell(options: { cwd?: string; env?: Record<string, string> } = {}): Promise<ShellProcess> {
    const { stream, output } = await interactiveExec(
      this.container,
      ['setsid', '-w', 'bash', '--noprofile', '--norc'],
      { ...options, env: { ...this.env, ...options.env } },
    );
    const exited = new Promise<number | null>((resolve) => {
      output.on('end', () => resolve(null));
      output.on('error', () => resolve(null));
    });
    return {
      write: (data) => {
        stream.write(data);
      },
      translate: (command) => command,
      onOutput: (listener) => {
        output.setEncoding('utf8');
        output.on('data', listener);
      },
      exited,
      close: () => {
        stream.end();
      },
    };
  }

  async spawn(
    command: string[],
    options: { cwd?: string; env?: Record<string, string> } = {},
  ): Promise<SandboxProcess> {
    const proc = await streamingExec(this.container, command, {
      cwd: options.cwd ?? '/workspace',
      env: { ...this.env, ...options.env },
    });
    proc.stdin.on('error', () => {});
    return { ...proc, kill: () => proc.stdin.end() };
  }

  /** Whether the container still runs: a failed exec is the container's fault only when it does not. */
  async running(): Promise<boolean> {
    try {
      return (await this.container.inspect()).State.Running === true;
    } catch (error) {
      throw infraError(error, this.container.id);
    }
  }

  /** Called once when the sandbox is disposed (the factory forgets it). */
  onDispose(listener: () => void): void {
    this.disposeListeners.push(listener);
  }

  async dispose(): Promise<void> {
    for (const listener of this.disposeListeners.splice(0)) listener();
    this.files.close();
    this.disposed ??= this.container.remove({ force: true, v: true }).then(
      () => undefined,
      (error: { statusCode?: number }) => {
        // Already removed (404) or being removed (409) is what dispose wants anyway.
        if (error.statusCode !== 404 && error.statusCode !== 409) throw infraError(error, this.container.id);
      },
    );
    return this.disposed;
  }
}

import { randomUUID } from 'node:crypto';
import { chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { infraError, interactiveExec, rawExec } from './docker-exec.js';
import { hostList, hostStat, listeningFromProcNet, parseFindLines } from './host-files.js';
import { KILL_EXEC } from './kill-script.js';
import { absoluteSandboxPath, mountOf, toHost } from './mount-paths.js';
import { type PortWatch, watchPorts } from './port-watch.js';
import { hasSymlinkBelow } from './symlinks.js';
import type {
  ExecOptions,
  ExecResult,
  FileEntry,
  OpenPort,
  Sandbox,
  SandboxMount,
  ShellProcess,
} from './types.js';

export interface DockerSandboxOptions {
  container: Docker.Container;
  mounts: SandboxMount[];
  /** Container port -> host port on 127.0.0.1, for the template's published ports. */
  ports: Map<number, number>;
  /** Set when the host user is root: files written from the host get the container user's owner. */
  chownTo?: { uid: number; gid: number };
}

const abortError = (): Error =>
  Object.assign(new Error('the operation was cancelled'), { name: 'AbortError' });

/**
 * A run's container. Commands go through `docker exec`; file reads and writes under a mount go
 * straight to the bind-mounted host folder (the same bytes, without an exec's ~30 ms), and
 * through the container for any other path.
 */
export class DockerSandbox implements Sandbox {
  readonly kind = 'docker' as const;
  readonly container: Docker.Container;
  readonly mounts: SandboxMount[];
  private readonly ports: Map<number, number>;
  private readonly chownTo: { uid: number; gid: number } | undefined;
  private disposed: Promise<void> | undefined;

  constructor(options: DockerSandboxOptions) {
    this.container = options.container;
    this.mounts = options.mounts;
    this.ports = options.ports;
    this.chownTo = options.chownTo;
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
      env: { ...options.env, RUNTOOLS_EXEC: token },
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

  async readFile(p: string): Promise<Buffer> {
    const host = await this.hostPathOf(p);
    if (host) return readFile(host);
    const result = await rawExec(this.container, ['base64', '-w0', '--', p]);
    if (result.exitCode !== 0) throw fsError(result.stderr.toString(), p);
    return Buffer.from(result.stdout.toString(), 'base64');
  }

  async writeFile(p: string, data: string | Buffer): Promise<void> {
    const host = await this.hostPathOf(p);
    if (!host) {
      const result = await rawExec(
        this.container,
        ['bash', '-c', 'mkdir -p -- "$(dirname -- "$1")" && cat > "$1"', '_', p],
        {
          stdin: data,
        },
      );
      if (result.exitCode !== 0) throw fsError(result.stderr.toString(), p);
      return;
    }
    const created = await mkdir(path.dirname(host), { recursive: true });
    await writeFile(host, data);
    if (this.chownTo) {
      await chown(host, this.chownTo.uid, this.chownTo.gid);
      // mkdir returns the first directory it made; everything below it is new too.
      for (let dir = path.dirname(host); created && dir.length >= created.length; dir = path.dirname(dir)) {
        await chown(dir, this.chownTo.uid, this.chownTo.gid);
      }
    }
  }

  async list(dir: string): Promise<FileEntry[]> {
    const host = await this.hostPathOf(dir);
    if (host) return hostList(host, absoluteSandboxPath(dir));
    const result = await rawExec(this.container, [
      'find',
      dir,
      '-mindepth',
      '1',
      '-maxdepth',
      '1',
      '-printf',
      '%f\\t%y\\t%s\\t%T@\\n',
    ]);
    if (result.exitCode !== 0) throw fsError(result.stderr.toString(), dir);
    return parseFindLines(result.stdout.toString(), absoluteSandboxPath(dir)).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
  }

  async stat(p: string): Promise<FileEntry | null> {
    const host = await this.hostPathOf(p);
    if (host) return hostStat(host, absoluteSandboxPath(p));
    const result = await rawExec(this.container, [
      'find',
      p,
      '-maxdepth',
      '0',
      '-printf',
      '%p\\t%y\\t%s\\t%T@\\n',
    ]);
    if (result.exitCode !== 0) return null;
    return parseFindLines(result.stdout.toString(), null)[0] ?? null;
  }

  async realpath(p: string): Promise<string> {
    const abs = absoluteSandboxPath(p);
    const mount = mountOf(this.mounts, abs);
    const host = toHost(this.mounts, abs);
    if (mount && host && !(await hasSymlinkBelow(mount.hostPath, host))) return abs;
    const result = await rawExec(this.container, ['realpath', '-m', '--', abs]);
    if (result.exitCode !== 0) throw fsError(result.stderr.toString(), p);
    return result.stdout.toString().trim();
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
      options,
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

  /** Whether the container still runs: a failed exec is the container's fault only when it does not. */
  async running(): Promise<boolean> {
    try {
      return (await this.container.inspect()).State.Running === true;
    } catch (error) {
      throw infraError(error, this.container.id);
    }
  }

  async dispose(): Promise<void> {
    this.disposed ??= this.container.remove({ force: true, v: true }).then(
      () => undefined,
      (error: { statusCode?: number }) => {
        // Already removed (404) or being removed (409) is what dispose wants anyway.
        if (error.statusCode !== 404 && error.statusCode !== 409) throw infraError(error, this.container.id);
      },
    );
    return this.disposed;
  }

  /** The host file behind a sandbox path when a mount holds it and no symlink leads elsewhere. */
  private async hostPathOf(p: string): Promise<string | null> {
    const abs = absoluteSandboxPath(p);
    const mount = mountOf(this.mounts, abs);
    const host = toHost(this.mounts, abs);
    if (!mount || !host) return null;
    // A symlink's target is a container path; only the container can follow it.
    if (await hasSymlinkBelow(mount.hostPath, host)) {
      const real = await this.realpath(abs);
      const realMount = mountOf(this.mounts, real);
      return realMount ? toHost(this.mounts, real) : null;
    }
    return host;
  }
}

function fsError(stderr: string, p: string): Error {
  const message = stderr.trim() || `cannot access ${p}`;
  const code = /No such file/.test(message) ? 'ENOENT' : /Is a directory/.test(message) ? 'EISDIR' : 'EIO';
  return Object.assign(new Error(message), { code, path: p });
}

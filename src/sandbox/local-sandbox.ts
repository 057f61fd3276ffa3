import { type ChildProcess, spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { hostList, hostStat } from './host-files.js';
import { absoluteSandboxPath, assertWritable, toHost, toSandbox } from './mount-paths.js';
import { pathRewriter } from './path-rewrite.js';
import { readRegularFile, writeRegularFile } from './safe-fs.js';
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

/** The largest file readFile returns, as in the Docker sandbox. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

const abortError = (): Error =>
  Object.assign(new Error('the operation was cancelled'), { name: 'AbortError' });

/**
 * Runs a run's operations on this machine, with no isolation at all: commands run as the current
 * user with the host's tools. Sandbox paths map to the mounts' host folders (`/workspace/x` ->
 * `<hostPath>/x`). Making one has no side effects, so the engine also uses it to read a run's
 * files after its container is gone.
 */
export class LocalSandbox implements Sandbox {
  readonly kind = 'local' as const;
  readonly mounts: SandboxMount[];
  private readonly env: Record<string, string>;
  private readonly rewrite: ReturnType<typeof pathRewriter>;
  private readonly children = new Set<ChildProcess>();

  constructor(mounts: SandboxMount[], env: Record<string, string> = {}) {
    // Real paths, so the host paths in command output (pwd, realpath) map back to sandbox paths.
    this.mounts = mounts.map((m) => ({ ...m, hostPath: safeRealpath(m.hostPath) }));
    this.env = env;
    this.rewrite = pathRewriter(this.mounts);
  }

  private host(p: string): string {
    const abs = absoluteSandboxPath(p);
    return toHost(this.mounts, abs) ?? abs;
  }

  private processEnv(extra?: Record<string, string>): NodeJS.ProcessEnv {
    return { ...process.env, ...this.env, ...extra };
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (options.signal?.aborted) throw abortError();
    const child = spawn('bash', ['-c', this.rewrite.toHost(command)], {
      cwd: this.host(options.cwd ?? '/workspace'),
      env: this.processEnv(options.env),
      // Its own process group, so a timeout or a cancel kills the command's children too.
      detached: true,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    this.children.add(child);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => stdout.push(b));
    child.stderr?.on('data', (b: Buffer) => stderr.push(b));
    if (options.stdin !== undefined) child.stdin?.end(options.stdin);
    let timedOut = false;
    let aborted = false;
    const kill = () => killGroup(child);
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          kill();
        }, options.timeoutMs)
      : undefined;
    const onAbort = () => {
      aborted = true;
      kill();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, sig) => resolve(code ?? (sig ? 128 + 9 : 1)));
    }).finally(() => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      this.children.delete(child);
    });
    if (aborted) throw abortError();
    return {
      stdout: this.rewrite.toSandbox(Buffer.concat(stdout).toString('utf8')),
      stderr: this.rewrite.toSandbox(Buffer.concat(stderr).toString('utf8')),
      exitCode: timedOut ? 124 : exitCode,
      timedOut,
    };
  }

  /** Never blocks: a FIFO, socket or device is refused (the local sandbox shares the server's threads). */
  readFile(p: string): Promise<Buffer> {
    return readRegularFile(this.host(p), MAX_FILE_BYTES);
  }

  async writeFile(p: string, data: string | Buffer): Promise<void> {
    assertWritable(this.mounts, absoluteSandboxPath(p));
    const host = this.host(p);
    await mkdir(path.dirname(host), { recursive: true });
    await writeRegularFile(host, data);
  }

  list(dir: string): Promise<FileEntry[]> {
    return hostList(this.host(dir), absoluteSandboxPath(dir));
  }

  stat(p: string): Promise<FileEntry | null> {
    return hostStat(this.host(p), absoluteSandboxPath(p));
  }

  async realpath(p: string): Promise<string> {
    const real = await realpathMissingOk(this.host(p));
    return toSandbox(this.mounts, real) ?? real;
  }

  /** Nothing is published on the host: a local dev server listens on the host's own ports. */
  async listeningPorts(): Promise<OpenPort[]> {
    return [];
  }

  /** A process leading its own group (so a kill reaches its children), its pipes open, kept until it ends. */
  private start(file: string, args: string[], options: { cwd?: string; env?: Record<string, string> }) {
    const child = spawn(file, args, {
      cwd: this.host(options.cwd ?? '/workspace'),
      env: this.processEnv(options.env),
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.children.add(child);
    const exited = new Promise<number | null>((resolve) => {
      child.on('close', (code) => {
        this.children.delete(child);
        resolve(code);
      });
      child.on('error', () => resolve(null));
    });
    child.stdin.on('error', () => {});
    return { child, exited };
  }

  async spawn(
    command: string[],
    options: { cwd?: string; env?: Record<string, string> } = {},
  ): Promise<SandboxProcess> {
    const [file, ...args] = command;
    if (!file) throw new Error('spawn needs a command');
    const { child, exited } = this.start(file, args, options);
    return {
      stdin: child.stdin,
      stdout: child.stdout,
      stderr: child.stderr,
      exited,
      kill: () => {
        child.stdin.end();
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      },
    };
  }

  async openShell(options: { cwd?: string; env?: Record<string, string> } = {}): Promise<ShellProcess> {
    const { child, exited } = this.start('bash', ['--noprofile', '--norc'], options);
    return {
      write: (data) => {
        child.stdin.write(data);
      },
      translate: (command) => this.rewrite.toHost(command),
      onOutput: (listener) => {
        child.stdout.setEncoding('utf8');
        child.stderr.setEncoding('utf8');
        child.stdout.on('data', (s: string) => listener(this.rewrite.toSandbox(s)));
        child.stderr.on('data', (s: string) => listener(this.rewrite.toSandbox(s)));
      },
      exited,
      close: () => child.stdin.end(),
    };
  }

  async dispose(): Promise<void> {
    for (const child of this.children) killGroup(child);
    this.children.clear();
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** `realpath -m`: resolve the longest existing prefix, keep the missing rest as written. */
async function realpathMissingOk(p: string): Promise<string> {
  const rest: string[] = [];
  let current = path.resolve(p);
  for (;;) {
    try {
      return path.join(await realpath(current), ...rest.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return path.resolve(p);
      rest.push(path.basename(current));
      current = parent;
    }
  }
}

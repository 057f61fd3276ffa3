/** A host directory bound into the sandbox at `containerPath`. */
export interface SandboxMount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

/** Everything needed to start a run's sandbox. */
export interface SandboxSpec {
  runId: string;
  /** Template slug; the Docker sandbox builds or reuses its image. */
  template: string;
  /** Always includes one mount at `/workspace`. */
  mounts: SandboxMount[];
  /**
   * The /workspace mount is the run's own managed folder, new and empty: a warm container made
   * with a fresh folder of its own can serve the run (the folder takes the run's folder's place).
   */
  freshWorkspace?: boolean;
  /** Secrets and other variables for the sandbox's processes. */
  env: Record<string, string>;
  network: 'bridge' | 'none';
  limits: { memoryMb: number; cpus: number; pids: number };
}

export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Bytes written to the process's stdin, then closed. */
  stdin?: string | Buffer;
  /** Killed (whole process group) after this many milliseconds. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  timedOut: boolean;
}

export interface FileEntry {
  name: string;
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
  mtimeMs: number;
}

/** A port something in the sandbox listens on, and where the host reaches it. */
export interface OpenPort {
  port: number;
  url: string;
}

/**
 * Where a run's tools execute. Paths are sandbox paths (`/workspace/src/App.tsx`).
 * Infrastructure failures (the container died, the engine is gone) throw `SandboxError`, never
 * come back as a command's output.
 */
export interface Sandbox {
  readonly kind: 'docker' | 'local';
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  readFile(path: string): Promise<Buffer>;
  writeFile(path: string, data: string | Buffer): Promise<void>;
  list(dir: string): Promise<FileEntry[]>;
  stat(path: string): Promise<FileEntry | null>;
  /** Ports the template publishes that something now listens on. */
  listeningPorts(): Promise<OpenPort[]>;
  /**
   * Optional: calls `listener` with the open ports whenever they change, from one watcher kept for
   * the sandbox's life (undefined when there is nothing to watch). Without it, callers poll.
   */
  watchPorts?(
    listener: (open: OpenPort[]) => void,
  ): { stop(): void; readonly ended: Promise<void> } | undefined;
  /**
   * The path with every symlink resolved as the sandbox sees it (`realpath -m`: missing parts are
   * kept), so tools can refuse paths that lead outside the run's roots.
   */
  realpath(path: string): Promise<string>;
  /**
   * A long-lived `bash` reading commands from stdin, leader of its own session, stderr merged into
   * stdout. The bash tool's persistent session is built on it.
   */
  openShell(options?: { cwd?: string; env?: Record<string, string> }): Promise<ShellProcess>;
  /**
   * A long-lived process with stdin, stdout and stderr kept apart, its output streamed as it comes:
   * an MCP server speaking stdio inside the run's sandbox (`runIn: 'sandbox'`).
   */
  spawn(command: string[], options?: { cwd?: string; env?: Record<string, string> }): Promise<SandboxProcess>;
  /** Stops every process and removes the container; safe to call twice. */
  dispose(): Promise<void>;
}

/** A running shell of `Sandbox.openShell`. */
export interface ShellProcess {
  write(data: string): void;
  /** A command as this shell must get it: the same in a container; host paths for the local sandbox. */
  translate(command: string): string;
  /** stdout and stderr, merged, as they come. */
  onOutput(listener: (chunk: string) => void): void;
  /** Resolves when the shell is gone, with its exit code (null when unknown). */
  readonly exited: Promise<number | null>;
  /** Closes stdin and drops the streams; does not kill (see the bash tool's session kill). */
  close(): void;
}

/** A running process of `Sandbox.spawn`. */
export interface SandboxProcess {
  readonly stdin: NodeJS.WritableStream;
  readonly stdout: NodeJS.ReadableStream;
  readonly stderr: NodeJS.ReadableStream;
  /** Resolves when the process is gone (its output ended), with its exit code (null when unknown). */
  readonly exited: Promise<number | null>;
  /** Ends it: stdin closed (a stdio server exits on that), and on the host its process group killed. */
  kill(): void;
}

/** Makes sandboxes; the Engine gets one per sandbox kind. */
export interface SandboxFactory {
  create(spec: SandboxSpec, signal?: AbortSignal): Promise<Sandbox>;
  /**
   * The run's sandbox while it is up, for reads that must see what the agent sees (run.files);
   * only sandboxes that isolate (Docker) answer.
   */
  running?(runId: string): Sandbox | undefined;
  /**
   * Optional: has a warm sandbox made for runs of this kind, in the background, when the factory
   * keeps warm ones and can make one without a build. Never fails: a run then makes its own.
   */
  prewarm?(spec: Omit<SandboxSpec, 'runId' | 'env'>): void;
}

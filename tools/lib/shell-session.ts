import { randomBytes } from 'node:crypto';
import { KILL_SESSION } from '../../src/sandbox/kill-script.js';
import type { Sandbox, ShellProcess } from '../../src/sandbox/types.js';
import { abortError } from './errors.js';
import { OutputCap } from './output-cap.js';

/** The non-interactive environment of every command (SWE-agent's list). */
const SHELL_ENV =
  'export PAGER=cat MANPAGER=cat GIT_PAGER=cat PIP_PROGRESS_BAR=off TQDM_DISABLE=1 TERM=dumb NO_COLOR=1 DEBIAN_FRONTEND=noninteractive';

export interface CommandOutcome {
  output: string;
  /** null when the command did not finish (timed out, or the shell exited). */
  exitCode: number | null;
  timedOut: boolean;
  /** Set when the shell had to be restarted: why. */
  reset: string | null;
}

interface Pending {
  cap: OutputCap;
  resolve: (exitCode: number | null) => void;
}

/**
 * One long-lived bash per run: cwd and exported variables carry over between commands. Each
 * command is sent base64-encoded and `eval`ed (so a stray quote cannot swallow the protocol),
 * with stdin from /dev/null, and ends with a sentinel line carrying its exit code. After every
 * command the shell saves `declare -px` and its cwd to a file, so a shell killed by a timeout
 * comes back with the state it had before that command.
 */
export class ShellSession {
  private shell: ShellProcess | undefined;
  private sid = 0;
  private readonly nonce = randomBytes(6).toString('hex');
  private buffer = '';
  private pending: Pending | undefined;
  private ready: ((sid: number) => void) | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  readonly statePath: string;

  constructor(
    private readonly sandbox: Sandbox,
    runId: string,
  ) {
    this.statePath = `/tmp/runtools-shell-${runId.replace(/[^\w-]/g, '_')}.sh`;
  }

  private get done(): string {
    return `__RT_${this.nonce}_DONE`;
  }

  /** Runs one command; calls are queued, as a terminal would. */
  run(command: string, options: { timeoutMs: number; signal: AbortSignal }): Promise<CommandOutcome> {
    const next = this.queue.then(() => this.runNow(command, options));
    this.queue = next.catch(() => {});
    return next;
  }

  private async runNow(
    command: string,
    options: { timeoutMs: number; signal: AbortSignal },
  ): Promise<CommandOutcome> {
    if (options.signal.aborted) throw abortError();
    const shell = await this.ensureShell();
    // A cancel that came while the shell was starting has already fired: check again.
    if (options.signal.aborted) throw abortError();
    const cap = new OutputCap();
    let timedOut = false;
    let aborted = false;
    const finished = new Promise<number | null>((resolve) => {
      this.pending = { cap, resolve };
    });
    // If the kill does not end the shell (the sandbox is unreachable), stop waiting for it anyway.
    const killAndDrop = () => {
      void this.kill().catch(() => {});
      setTimeout(() => {
        if (this.pending?.cap !== cap) return;
        this.shell = undefined;
        this.pending.resolve(null);
      }, 3_000).unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killAndDrop();
    }, options.timeoutMs);
    const onAbort = () => {
      aborted = true;
      killAndDrop();
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    const encoded = Buffer.from(shell.translate(command)).toString('base64');
    shell.write(
      `eval "$(printf %s '${encoded}' | base64 -d)" < /dev/null\n` +
        `__rt_c=$?; { declare -px; printf 'cd %q\\n' "$PWD"; } > "$__rt_state" 2>/dev/null; printf '\\n${this.done} %s\\n' "$__rt_c"\n`,
    );
    const exitCode = await finished;
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
    this.pending = undefined;
    if (aborted) throw abortError();
    const output = cap.toString();
    if (timedOut) {
      return {
        output,
        exitCode: null,
        timedOut: true,
        reset: 'the command and its child processes were killed and the shell restarted',
      };
    }
    if (exitCode === null) {
      // The shell can end because its command ended it (`exit`), or because the sandbox died. The
      // second must fail the run (SandboxError from exec), not reach the model as command output.
      await this.checkSandboxAlive();
      return { output, exitCode: null, timedOut: false, reset: 'the shell exited' };
    }
    return { output, exitCode, timedOut: false, reset: null };
  }

  /** Starts the shell (again), restoring the state saved after the last finished command. */
  private async ensureShell(): Promise<ShellProcess> {
    if (this.shell) return this.shell;
    const shell = await this.sandbox.openShell({ cwd: '/workspace' });
    this.buffer = '';
    const started = new Promise<number>((resolve) => {
      this.ready = resolve;
    });
    shell.onOutput((chunk) => this.onOutput(chunk));
    void shell.exited.then(() => this.onExit(shell));
    shell.write(
      `exec 2>&1\n${SHELL_ENV}\n__rt_state='${this.statePath}'\n` +
        `[ -f "$__rt_state" ] && . "$__rt_state" >/dev/null 2>&1\n` +
        `printf '\\n__RT_${this.nonce}_READY %s\\n' "$$"\n`,
    );
    const exited = shell.exited.then(async () => {
      await this.checkSandboxAlive();
      throw new Error('the shell exited while starting');
    });
    this.sid = await Promise.race([started, exited]);
    this.shell = shell;
    return shell;
  }

  private onOutput(chunk: string): void {
    this.buffer += chunk;
    if (this.ready) {
      const match = new RegExp(`\\n__RT_${this.nonce}_READY (\\d+)\\n`).exec(this.buffer);
      if (!match) return;
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const ready = this.ready;
      this.ready = undefined;
      ready(Number(match[1]));
    }
    const pending = this.pending;
    if (!pending) return;
    const match = new RegExp(`\\n${this.done} (\\d+)\\n`).exec(this.buffer);
    if (match) {
      pending.cap.push(this.buffer.slice(0, match.index));
      this.buffer = this.buffer.slice(match.index + match[0].length);
      pending.resolve(Number(match[1]));
      return;
    }
    // Keep a short tail unflushed: the sentinel may be split across chunks.
    const keep = this.done.length + 24;
    if (this.buffer.length > keep * 4) {
      pending.cap.push(this.buffer.slice(0, -keep));
      this.buffer = this.buffer.slice(-keep);
    }
  }

  private onExit(shell: ShellProcess): void {
    if (this.shell !== shell) return;
    this.shell = undefined;
    if (this.pending) {
      // setsid -w reports the killed shell on its way out; that line is ours, not the command's.
      this.pending.cap.push(this.buffer.replace(/^setsid: child \d+ did not exit normally.*\n?/m, ''));
      this.buffer = '';
      this.pending.resolve(null);
    }
  }

  /**
   * Throws SandboxError when the sandbox is gone. A container being killed can still accept an
   * exec for a moment after its processes died, so the check waits that moment out first.
   */
  private async checkSandboxAlive(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await this.sandbox.exec('true', { timeoutMs: 10_000 });
  }

  /** Kills the shell and everything it started in its session (not `setsid` background jobs). */
  async kill(): Promise<void> {
    const shell = this.shell;
    if (!shell || !this.sid) return;
    try {
      await this.sandbox.exec(`set -- ${this.sid}\n${KILL_SESSION}`);
    } finally {
      shell.close();
    }
  }

  async dispose(): Promise<void> {
    await this.kill().catch(() => {});
    this.shell = undefined;
  }
}

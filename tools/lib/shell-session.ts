import { randomBytes } from 'node:crypto';
import { KILL_SESSION } from '../../src/sandbox/kill-script.js';
import type { Sandbox, ShellProcess } from '../../src/sandbox/types.js';
import { abortError } from './errors.js';
import { OutputCap } from './output-cap.js';

/** The non-interactive environment of every command (SWE-agent's list). */
const SHELL_ENV =
  'export PAGER=cat MANPAGER=cat GIT_PAGER=cat PIP_PROGRESS_BAR=off TQDM_DISABLE=1 TERM=dumb NO_COLOR=1 DEBIAN_FRONTEND=noninteractive';

/** How a command's turn in the shell ended. */
export type CommandEnd =
  | { type: 'done'; exitCode: number }
  /** The command ended the shell itself (`exit 3`, `set -e` and a failure): the shell's exit code. */
  | { type: 'exited'; exitCode: number }
  /** The shell was killed at the timeout. */
  | { type: 'timed_out' }
  /** The shell went away without saying why (`exec`, `kill $$`). */
  | { type: 'lost' };

export interface CommandOutcome {
  /** The command's stdout and stderr, interleaved, capped for the model and kept whole for a file. */
  output: OutputCap;
  end: CommandEnd;
}

interface Pending {
  cap: OutputCap;
  resolve: (end: CommandEnd) => void;
}

/** One running bash of the session. */
interface LiveShell {
  process: ShellProcess;
  /** The shell's pid, which is also its session id (it runs under setsid). */
  sid: number;
  buffer: string;
  pending: Pending | undefined;
}

/**
 * One long-lived bash per run: cwd and exported variables carry over between commands, kept in the
 * shell itself. The shell runs a read loop (no subshell, no decoding process per command): each
 * command arrives NUL-terminated on a file descriptor of its own, is `eval`ed with stdin from
 * /dev/null, and ends with a sentinel line carrying its exit code. The loop reads the command into a
 * variable before parsing it, so a stray quote cannot swallow the protocol; `continue` and `break`
 * in a command end that command only. After each command the shell writes `declare -px` and its cwd
 * to a tmpfs file (after reporting, off the round trip), so a shell killed at a timeout comes back with the state it had before that
 * command; an `exit` is reported at once with its code by an EXIT trap.
 */
export class ShellSession {
  private shell: LiveShell | undefined;
  private readonly nonce = randomBytes(6).toString('hex');
  private queue: Promise<unknown> = Promise.resolve();
  private readonly stateName: string;

  constructor(
    private readonly sandbox: Sandbox,
    runId: string,
  ) {
    this.stateName = `runtools-shell-${runId.replace(/[^\w-]/g, '_')}.sh`;
  }

  private marker(kind: 'READY' | 'DONE' | 'EXIT'): string {
    return `__RT_${this.nonce}_${kind}`;
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
    const finished = new Promise<CommandEnd>((resolve) => {
      shell.pending = { cap, resolve };
    });
    // If the kill does not end the shell (the sandbox is unreachable), stop waiting for it anyway.
    const killAndDrop = () => {
      void this.kill(shell).catch(() => {});
      setTimeout(() => {
        if (shell.pending?.cap !== cap) return;
        this.forget(shell);
        shell.pending.resolve({ type: 'lost' });
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
    // NUL ends the command: bash variables cannot hold one, so it cannot occur inside a command.
    shell.process.write(`${shell.process.translate(command).replaceAll('\0', '')}\0`);
    let end = await finished;
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
    shell.pending = undefined;
    if (aborted) throw abortError();
    if (timedOut) end = { type: 'timed_out' };
    // The shell can vanish because a command replaced or killed it, or because the sandbox died.
    // The second must fail the run (SandboxError from exec), not reach the model as command output.
    if (end.type === 'lost') await this.checkSandboxAlive();
    return { output: cap, end };
  }

  /** Starts the shell (again), restoring the state saved after the last finished command. */
  private async ensureShell(): Promise<LiveShell> {
    if (this.shell) return this.shell;
    const proc = await this.sandbox.openShell({ cwd: '/workspace' });
    const shell: LiveShell = { process: proc, sid: 0, buffer: '', pending: undefined };
    let ready: ((sid: number) => void) | undefined;
    const started = new Promise<number>((resolve) => {
      ready = resolve;
    });
    proc.onOutput((chunk) => {
      shell.buffer += chunk;
      if (ready) {
        const match = new RegExp(`\\n${this.marker('READY')} (\\d+)\\n`).exec(shell.buffer);
        if (!match) return;
        shell.buffer = shell.buffer.slice(match.index + match[0].length);
        const resolve = ready;
        ready = undefined;
        resolve(Number(match[1]));
      }
      this.onOutput(shell);
    });
    void proc.exited.then(() => this.onExit(shell));
    proc.write(this.bootstrap());
    const exited = proc.exited.then(async () => {
      await this.checkSandboxAlive();
      throw new Error('the shell exited while starting');
    });
    shell.sid = await Promise.race([started, exited]);
    this.shell = shell;
    return shell;
  }

  /** What the shell runs first: settings, the saved state, the EXIT trap, then the command loop. */
  private bootstrap(): string {
    const done = this.marker('DONE');
    return [
      'exec 2>&1',
      SHELL_ENV,
      // tmpfs where there is one: writing the state to an overlay /tmp costs milliseconds per command.
      `__rt_state=/dev/shm/${this.stateName}; [ -d /dev/shm ] && [ -w /dev/shm ] || __rt_state=/tmp/${this.stateName}`,
      '[ -f "$__rt_state" ] && . "$__rt_state" >/dev/null 2>&1',
      `trap 'builtin printf "\\n${this.marker('EXIT')} %s\\n" "$?"' EXIT`,
      `builtin printf '\\n${this.marker('READY')} %s\\n' "$$"`,
      // The report of a command sits in the loop's condition, so a `continue` in the command still
      // reports it; a `break` leaves the inner loop and the outer one re-enters it (and reports).
      // The state is saved after the report, while the model thinks: the shell reads the next
      // command only once it is saved, so a timeout restart always finds it whole.
      '__rt_s=-1',
      'while :; do',
      `  while { [ "$__rt_s" = -1 ] || { builtin printf '\\n${done} %s\\n' "$__rt_s"; { builtin printf 'cd -- %q\\n' "$PWD"; builtin declare -px; } > "$__rt_state" 2>/dev/null; }; } && IFS= builtin read -r -d '' -u "$__rt_in" __rt_c || exit 0; do`,
      '    __rt_s=0; builtin eval "$__rt_c"; __rt_s=$?',
      '  done',
      'done {__rt_in}<&0 </dev/null; exit 0',
      '',
    ].join('\n');
  }

  private onOutput(shell: LiveShell): void {
    const pending = shell.pending;
    if (!pending) return;
    const match = new RegExp(`\\n__RT_${this.nonce}_(DONE|EXIT) (\\d+)\\n`).exec(shell.buffer);
    if (match) {
      pending.cap.push(shell.buffer.slice(0, match.index));
      shell.buffer = shell.buffer.slice(match.index + match[0].length);
      const exitCode = Number(match[2]);
      if (match[1] === 'EXIT') {
        // The shell is on its way out: the next command starts a new one.
        this.forget(shell);
        shell.process.close();
        pending.resolve({ type: 'exited', exitCode });
      } else {
        pending.resolve({ type: 'done', exitCode });
      }
      return;
    }
    // Keep a short tail unflushed: the sentinel may be split across chunks.
    const keep = this.marker('DONE').length + 24;
    if (shell.buffer.length > keep * 4) {
      pending.cap.push(shell.buffer.slice(0, -keep));
      shell.buffer = shell.buffer.slice(-keep);
    }
  }

  private onExit(shell: LiveShell): void {
    this.forget(shell);
    if (shell.pending) {
      // setsid -w reports the killed shell on its way out; that line is ours, not the command's.
      shell.pending.cap.push(shell.buffer.replace(/^setsid: child \d+ did not exit normally.*\n?/m, ''));
      shell.buffer = '';
      shell.pending.resolve({ type: 'lost' });
    }
  }

  private forget(shell: LiveShell): void {
    if (this.shell === shell) this.shell = undefined;
  }

  /**
   * Throws SandboxError when the sandbox is gone. A container being killed can still accept an
   * exec for a moment after its processes died, so the check waits that moment out first.
   */
  private async checkSandboxAlive(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await this.sandbox.exec('true', { timeoutMs: 10_000 });
  }

  /** Kills a shell and everything it started in its session (not `setsid` background jobs). */
  private async kill(shell: LiveShell): Promise<void> {
    if (!shell.sid) return;
    try {
      await this.sandbox.exec(`set -- ${shell.sid}\n${KILL_SESSION}`);
    } finally {
      shell.process.close();
    }
  }

  async dispose(): Promise<void> {
    const shell = this.shell;
    this.shell = undefined;
    if (shell) await this.kill(shell).catch(() => {});
  }
}

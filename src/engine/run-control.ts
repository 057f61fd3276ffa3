import { conflict } from '../api/errors.js';

/** Why a run was stopped from outside its loop. */
export type StopCause = 'cancelled' | 'timed_out' | 'interrupted';

/** Thrown inside the loop when the run was cancelled or timed out. */
export class RunStopped extends Error {
  constructor(readonly stopCause: StopCause) {
    super(
      stopCause === 'cancelled'
        ? 'the run was cancelled'
        : stopCause === 'interrupted'
          ? 'the server stopped'
          : 'the run timed out',
    );
    this.name = 'RunStopped';
  }
}

export type ControlPhase = 'queued' | 'running' | 'paused';

/**
 * The controls of one live run: pause/resume/cancel/input requests arrive at any time; the loop
 * acts on them at its checkpoints (between steps), except cancel and timeout, which abort the
 * current model call or tool at once through `signal`.
 */
export class RunControl {
  phase: ControlPhase = 'queued';
  pauseRequested = false;
  stopCause: StopCause | undefined;
  private readonly inputs: string[] = [];
  /** The tool call the run is (about to be) held before, which deny() may skip. */
  private heldTool: string | undefined;
  private denial: string | undefined;
  private readonly abort = new AbortController();
  private wakeResume: (() => void) | undefined;

  constructor(readonly runId: string) {}

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** True when a pause is waiting for the current step to finish. */
  get pausing(): boolean {
    return this.pauseRequested && this.phase === 'running';
  }

  requestPause(): void {
    if (this.phase === 'paused' || this.pauseRequested)
      throw conflict(`run ${this.runId} is already paused or pausing; resume() it instead`);
    this.pauseRequested = true;
  }

  /** The engine's hold before a tool call (stepping through tools, or a call that needs approval). */
  holdBeforeTool(tool: string): void {
    this.pauseRequested = true;
    this.heldTool = tool;
  }

  /** Skips the tool call the paused run is held before; the model is told `reason`. */
  deny(reason: string): void {
    if (this.phase !== 'paused' || !this.heldTool) {
      throw conflict(
        `run ${this.runId} is ${this.phase}, not held before a tool call; deny() skips a call the run waits before (set approve: [...] on the deployment or runtime, or start the run with pauseBeforeTools)`,
      );
    }
    this.denial = reason;
    this.resume();
  }

  /** After the checkpoint before a tool call: why it was denied, or undefined to run it. */
  takeDenial(): string | undefined {
    const denial = this.denial;
    this.denial = undefined;
    this.heldTool = undefined;
    return denial;
  }

  /** Resumes a paused run, or withdraws a pause that has not taken effect yet. */
  resume(): void {
    if (!this.pauseRequested && this.phase !== 'paused') {
      throw conflict(`run ${this.runId} is ${this.phase}, not paused; only a paused run can be resumed`);
    }
    this.pauseRequested = false;
    this.wakeResume?.();
  }

  stop(cause: StopCause): void {
    if (this.stopCause) return;
    this.stopCause = cause;
    this.abort.abort(new RunStopped(cause));
    this.wakeResume?.();
  }

  addInput(message: string): void {
    this.inputs.push(message);
  }

  /** Messages sent with sendInput since the last call. */
  takeInputs(): string[] {
    return this.inputs.splice(0, this.inputs.length);
  }

  get hasInput(): boolean {
    return this.inputs.length > 0;
  }

  /** Throws RunStopped when the run was stopped. */
  throwIfStopped(): void {
    if (this.stopCause) throw new RunStopped(this.stopCause);
  }

  /**
   * Between steps: stops if stopped; if a pause was requested, holds until resumed (calling the
   * hooks so the run's status and timeout follow).
   */
  async checkpoint(hooks: { paused: () => void; resumed: () => void }): Promise<void> {
    this.throwIfStopped();
    if (!this.pauseRequested) return;
    this.phase = 'paused';
    hooks.paused();
    while (this.pauseRequested && !this.stopCause) {
      await new Promise<void>((resolve) => {
        this.wakeResume = resolve;
      });
      this.wakeResume = undefined;
    }
    this.throwIfStopped();
    this.phase = 'running';
    hooks.resumed();
  }

  /** Waits while paused in the queue, before the run has started (pause while queued). */
  async waitWhileHeld(): Promise<void> {
    while (this.pauseRequested && !this.stopCause) {
      await new Promise<void>((resolve) => {
        this.wakeResume = resolve;
      });
      this.wakeResume = undefined;
    }
    this.throwIfStopped();
  }
}

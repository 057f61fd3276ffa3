import type { EvalCase } from '../api/eval-schemas.js';
import type { EvalCheckResult } from '../api/evals.js';
import { type AgentRunStatus, isTerminal } from '../api/types.js';
import type { RunParts } from '../engine/parts.js';
import type { RunService } from '../engine/runs.js';
import type { WorkspaceService } from '../engine/workspaces.js';
import type { EvalRow } from '../store/evals.js';
import type { Store } from '../store/store.js';
import { inContainerHook, scoreTrial, type TrialKey, trialRequest } from './trial.js';
import { copyFixture } from './workspace-copy.js';

export interface EvalExecutionDeps {
  store: Store;
  runs: RunService;
  workspaces: WorkspaceService;
  parts: RunParts;
  now: () => Date;
  log: (message: string) => void;
}

/**
 * One eval from start to end: every trial (case x variant x repeat) as an ordinary run through the
 * deployment's queue, scored when it ends, its row updated as it goes. `concurrency` caps the trials
 * in flight; without it every trial is queued at once and the deployment's maxConcurrent decides.
 */
export class EvalExecution {
  private readonly abort = new AbortController();
  /** Runs of trials in flight, by trial key. */
  private readonly inFlight = new Map<string, string>();
  /** Why the eval stopped when the server, not a person, stopped it. */
  private stopReason: string | null = null;
  readonly done: Promise<void>;

  constructor(
    private readonly deps: EvalExecutionDeps,
    private readonly row: EvalRow,
    private readonly options: {
      concurrency: number | undefined;
      /** Replay: the recorded run of each trial, by trial key. */
      recorded?: Map<string, string>;
    },
  ) {
    this.done = this.execute();
  }

  get cancelled(): boolean {
    return this.abort.signal.aborted;
  }

  /** Trials whose run is running (or being checked), and those waiting for a slot. */
  counts(): { running: number; queued: number } {
    const statuses = this.deps.store.evals.runStatuses([...this.inFlight.values()]);
    let running = 0;
    for (const status of statuses.values())
      if (status !== 'queued' && !isTerminal(status as AgentRunStatus)) running++;
    return { running, queued: this.inFlight.size - running };
  }

  /**
   * Stops the eval without touching its runs (server shutdown: the run service interrupts them):
   * no new trials; trials whose run ends cancelled or interrupted are cancelled; `reason` is kept.
   */
  stop(reason: string): void {
    this.stopReason = reason;
    this.abort.abort();
  }

  /** Stops the eval: no new trials, its runs in flight cancelled; what finished is kept. */
  async cancel(): Promise<void> {
    if (!this.abort.signal.aborted) {
      this.abort.abort();
      await Promise.all(
        [...this.inFlight.values()].map((runId) => this.deps.runs.cancel(runId).catch(() => undefined)),
      );
    }
    await this.done;
  }

  private async execute(): Promise<void> {
    const { store } = this.deps;
    const queue: TrialKey[] = [];
    // Trial-major order: after a third of the time, every case and variant has a first result.
    for (let trial = 1; trial <= this.row.repeat; trial++)
      for (let caseIndex = 0; caseIndex < this.row.suite.cases.length; caseIndex++)
        for (let variantIndex = 0; variantIndex < this.row.variants.length; variantIndex++)
          queue.push({ caseIndex, variantIndex, trial });
    const workers = Math.min(this.options.concurrency ?? queue.length, queue.length);
    try {
      await Promise.all(
        Array.from({ length: workers }, async () => {
          for (let key = queue.shift(); key && !this.cancelled; key = queue.shift()) await this.runTrial(key);
        }),
      );
      store.evals.cancelUnfinished(this.row.id);
      store.evals.finish(
        this.row.id,
        this.cancelled ? 'cancelled' : 'completed',
        this.stopReason,
        this.deps.now().toISOString(),
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.log(`runtools: eval ${this.row.id} failed: ${message}`);
      store.evals.cancelUnfinished(this.row.id);
      store.evals.finish(this.row.id, 'failed', message, this.deps.now().toISOString());
    }
  }

  private async runTrial(key: TrialKey): Promise<void> {
    const c = this.row.suite.cases[key.caseIndex]!;
    const variant = this.row.variants[key.variantIndex]!;
    const id = keyOf(key);
    const update = this.deps.store.evals.updateTrial.bind(null, this.row.id, key);
    const replayRun = this.options.recorded?.get(recordingKey(c.name, variant.label, key.trial));
    if (this.options.recorded && !replayRun) {
      update({
        status: 'failed',
        checks: notRun(
          c,
          `eval ${this.row.replayOf} recorded no run for this case, variant and trial to replay`,
        ),
      });
      return;
    }
    let runId: string;
    const hook = inContainerHook(c);
    try {
      const workspaceId = await this.prepareWorkspace(c, key);
      // Stopped while the fixture was copied: no run starts after that.
      if (this.cancelled) return;
      runId = this.deps.runs.start(this.row.deployment, trialRequest(c, variant, workspaceId, replayRun), {
        eval: { id: this.row.id, case: c.name, variant: variant.label, trial: key.trial },
        afterRun: hook.afterRun,
      }).id;
    } catch (error) {
      update({
        status: 'failed',
        checks: notRun(c, `the trial could not start: ${(error as Error).message}`),
      });
      return;
    }
    this.inFlight.set(id, runId);
    update({ runId, status: 'running' });
    try {
      const run = await this.deps.runs.wait(runId);
      if ((run.status === 'cancelled' || run.status === 'interrupted') && this.cancelled) {
        update({ status: 'cancelled', runStatus: run.status });
        return;
      }
      const score = await scoreTrial(c, run, hook.results(), this.deps.parts, this.abort.signal);
      update({
        status: score.passed ? 'passed' : 'failed',
        passed: score.passed,
        checks: score.checks,
        runStatus: run.status,
        turns: run.turns,
        tokens:
          run.usage.inputTokens +
          run.usage.outputTokens +
          run.usage.cacheReadTokens +
          run.usage.cacheWriteTokens,
        costUsd: run.usage.costUsd,
        durationMs: run.durationMs,
      });
    } finally {
      this.inFlight.delete(id);
    }
  }

  /** A fresh copy of the case's fixture, as a managed workspace of its own, or none. */
  private async prepareWorkspace(c: EvalCase, key: TrialKey): Promise<string | undefined> {
    if (!c.workspace) return undefined;
    const id = `${this.row.id}-c${key.caseIndex}-v${key.variantIndex}-t${key.trial}`;
    const workspace = this.deps.workspaces.resolve(id);
    await copyFixture(c.workspace, workspace.path);
    return id;
  }
}

const keyOf = (key: TrialKey): string => `${key.caseIndex}/${key.variantIndex}/${key.trial}`;

/** Every check of a case, failed with the same reason: the trial never got to a run. */
const notRun = (c: EvalCase, detail: string): EvalCheckResult[] =>
  c.checks.map((check) => ({ type: check.type, passed: false, detail }));

/** The key a replay looks a recorded run up by. */
export const recordingKey = (caseName: string, variant: string, trial: number): string =>
  `${caseName}\u0000${variant}\u0000${trial}`;

import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { invalid, notFound } from '../api/errors.js';
import { type EvalSuite, startEvalSchema } from '../api/eval-schemas.js';
import type { EvalData, EvalDetail, EvalVariant, StartEvalBody } from '../api/evals.js';
import { modelConfigProblem } from '../api/model-names.js';
import { parseInput } from '../api/schemas.js';
import type { DeploymentService } from '../engine/deployments.js';
import type { RuntimeService } from '../engine/runtimes.js';
import type { EvalRow } from '../store/evals.js';
import { EvalExecution, type EvalExecutionDeps, recordingKey } from './execution.js';
import { buildReport } from './report.js';
import { labelVariants } from './variants.js';

export interface EvalServiceDeps extends EvalExecutionDeps {
  runtimes: RuntimeService;
  deployments: DeploymentService;
  /** Relative workspace folders in a suite sent over the API resolve here. */
  projectDir: string;
}

const SERVER_STOPPED =
  'the server stopped while the eval ran; what finished is kept; run it again for the rest';

/** Starting, following, cancelling and reading evals. */
export class EvalService {
  private readonly live = new Map<string, EvalExecution>();

  constructor(private readonly deps: EvalServiceDeps) {}

  /** Validates the request, stores the eval with a pending row per trial, and starts it. */
  start(body: StartEvalBody): EvalData {
    const request = parseInput(startEvalSchema, body, 'eval');
    const suite = this.resolveWorkspaces(request.suite);
    const deployment = this.deps.deployments.row(suite.deployment);
    let variants: EvalVariant[];
    let repeat: number;
    let recorded: Map<string, string> | undefined;
    if (request.replay) {
      const source = this.row(request.replay);
      if (!source.recorded) {
        throw invalid(
          `eval ${source.id} was not recorded; run the suite again with --record (record: true) to replay it later`,
        );
      }
      variants = source.variants;
      repeat = source.repeat;
      recorded = new Map(
        this.deps.store.evals
          .results(source.id)
          .filter((r) => r.runId !== null)
          .map((r) => [recordingKey(r.case, r.variant, r.trial), r.runId!]),
      );
    } else {
      variants = labelVariants(request.variants ?? [{}]);
      repeat = request.repeat ?? suite.repeat ?? 1;
    }
    variants.forEach((variant, index) => {
      if (variant.runtimeVersion)
        this.deps.runtimes.version(deployment.config.runtimeSlug, variant.runtimeVersion, false);
      const problem = variant.model && modelConfigProblem(variant.model);
      if (problem) throw invalid(`invalid eval: variants[${index}].model: ${problem}`);
    });
    const row: EvalRow = {
      id: newEvalId(this.deps.now().getTime()),
      name: suite.name,
      deployment: suite.deployment,
      suite,
      suiteFile: request.suiteFile ?? null,
      variants,
      repeat,
      status: 'running',
      error: null,
      recorded: request.record,
      replayOf: request.replay ?? null,
      createdAt: this.deps.now().toISOString(),
      endedAt: null,
    };
    this.deps.store.evals.insert(row);
    const execution = new EvalExecution(this.deps, row, { concurrency: request.concurrency, recorded });
    this.live.set(row.id, execution);
    void execution.done.finally(() => this.live.delete(row.id));
    return this.data(row);
  }

  get(id: string): EvalDetail {
    const row = this.row(id);
    const rows = this.deps.store.evals.results(id);
    const results = rows.map(({ caseIndex: _c, variantIndex: _v, ...r }) => r);
    return {
      ...this.data(row, rows),
      results,
      report: buildReport(
        row.suite.cases.map((c) => c.name),
        row.variants.map((v) => v.label),
        results,
      ),
    };
  }

  list(limit = 50): EvalData[] {
    return this.deps.store.evals.list(limit).map((row) => this.data(row));
  }

  /** Resolves when the eval has ended. */
  async wait(id: string): Promise<EvalDetail> {
    await this.live.get(id)?.done;
    return this.get(id);
  }

  /** Cancels the eval's runs in flight and starts no more; resolves when it has ended. */
  async cancel(id: string): Promise<EvalData> {
    const row = this.row(id);
    await this.live.get(id)?.cancel();
    return this.data(this.deps.store.evals.get(row.id)!);
  }

  /** Evals a previous server left running end as cancelled, keeping what finished. */
  recover(): void {
    for (const row of this.deps.store.evals.withStatus('running')) {
      this.deps.store.evals.cancelUnfinished(row.id);
      this.deps.store.evals.finish(row.id, 'cancelled', SERVER_STOPPED, this.deps.now().toISOString());
    }
  }

  /**
   * Server shutdown: every live eval starts no more trials; it ends once the run service has
   * stopped its runs in flight (they end `interrupted`, their trials cancelled, not counted).
   */
  async stopAll(): Promise<void> {
    const executions = [...this.live.values()];
    for (const execution of executions) execution.stop(SERVER_STOPPED);
    await Promise.all(executions.map((execution) => execution.done));
  }

  private row(id: string): EvalRow {
    const row = this.deps.store.evals.get(id);
    if (!row)
      throw notFound(`eval "${id}" not found; list evals with "runtools evals list" or rt.evals.list()`);
    return row;
  }

  private data(row: EvalRow, results = this.deps.store.evals.results(row.id)): EvalData {
    const finished = results.filter((r) => r.status === 'passed' || r.status === 'failed');
    const live = this.live.get(row.id)?.counts() ?? { running: 0, queued: 0 };
    const done = results.filter((r) => r.status !== 'pending' && r.status !== 'running').length;
    return {
      id: row.id,
      name: row.name,
      deployment: row.deployment,
      suiteFile: row.suiteFile,
      status: row.status,
      error: row.error,
      repeat: row.repeat,
      variants: row.variants,
      cases: row.suite.cases.map((c) => c.name),
      recorded: row.recorded,
      replayOf: row.replayOf,
      progress: {
        total: results.length,
        done,
        running: live.running,
        queued: row.status === 'running' ? results.length - done - live.running : 0,
      },
      passRate: finished.length === 0 ? null : finished.filter((r) => r.passed).length / finished.length,
      byVariant: row.variants.map(({ label }) => {
        const mine = finished.filter((r) => r.variant === label);
        return { label, passed: mine.filter((r) => r.passed).length, finished: mine.length };
      }),
      createdAt: row.createdAt,
      endedAt: row.endedAt,
    };
  }

  /** Workspace folders are host folders: absolute, or relative to the project; they must exist. */
  private resolveWorkspaces(suite: EvalSuite): EvalSuite {
    return {
      ...suite,
      cases: suite.cases.map((c, index) => {
        if (!c.workspace) return c;
        const workspace = path.resolve(this.deps.projectDir, c.workspace);
        if (!existsSync(workspace) || !statSync(workspace).isDirectory()) {
          throw invalid(
            `invalid eval: suite.cases[${index}].workspace: "${c.workspace}" is not a folder on the server (looked for ${workspace}); give an absolute path or one relative to the project`,
            { fields: [{ field: `suite.cases[${index}].workspace`, message: 'not a folder' }] },
          );
        }
        return { ...c, workspace };
      }),
    };
  }
}

/** An eval id like `eval-mir7l2kx0f3k9q1a`: base36 time then randomness, so ids sort by creation. */
function newEvalId(nowMs: number): string {
  const time = nowMs.toString(36).padStart(9, '0');
  return `eval-${time}${randomBytes(5).readUIntBE(0, 5).toString(36).padStart(8, '0')}`;
}

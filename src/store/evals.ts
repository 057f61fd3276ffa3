import type { EvalSuite } from '../api/eval-schemas.js';
import type {
  EvalCheckResult,
  EvalStatus,
  EvalTrialResult,
  EvalTrialStatus,
  EvalVariant,
} from '../api/evals.js';
import type { Db } from './db.js';

/** A stored eval: what it ran (suite, variants) and how it is going. */
export interface EvalRow {
  id: string;
  name: string;
  deployment: string;
  suite: EvalSuite;
  suiteFile: string | null;
  variants: EvalVariant[];
  repeat: number;
  status: EvalStatus;
  error: string | null;
  recorded: boolean;
  replayOf: string | null;
  createdAt: string;
  endedAt: string | null;
}

/** A trial's row, with the indexes that place it in the grid. */
export interface EvalResultRow extends EvalTrialResult {
  caseIndex: number;
  variantIndex: number;
}

interface RawEval {
  id: string;
  name: string;
  deployment: string;
  suite: string;
  suite_file: string | null;
  variants: string;
  repeat: number;
  status: EvalStatus;
  error: string | null;
  recorded: number;
  replay_of: string | null;
  created_at: string;
  ended_at: string | null;
}

interface RawResult {
  eval_id: string;
  case_index: number;
  variant_index: number;
  trial: number;
  case_name: string;
  variant_label: string;
  run_id: string | null;
  status: EvalTrialStatus;
  passed: number;
  checks: string;
  run_status: string | null;
  turns: number;
  tokens: number;
  cost_usd: number | null;
  duration_ms: number | null;
}

const toEval = (raw: RawEval): EvalRow => ({
  id: raw.id,
  name: raw.name,
  deployment: raw.deployment,
  suite: JSON.parse(raw.suite) as EvalSuite,
  suiteFile: raw.suite_file,
  variants: JSON.parse(raw.variants) as EvalVariant[],
  repeat: raw.repeat,
  status: raw.status,
  error: raw.error,
  recorded: raw.recorded === 1,
  replayOf: raw.replay_of,
  createdAt: raw.created_at,
  endedAt: raw.ended_at,
});

const toResult = (raw: RawResult): EvalResultRow => ({
  caseIndex: raw.case_index,
  variantIndex: raw.variant_index,
  case: raw.case_name,
  variant: raw.variant_label,
  trial: raw.trial,
  runId: raw.run_id,
  status: raw.status,
  passed: raw.passed === 1,
  checks: JSON.parse(raw.checks) as EvalCheckResult[],
  runStatus: raw.run_status,
  turns: raw.turns,
  tokens: raw.tokens,
  costUsd: raw.cost_usd,
  durationMs: raw.duration_ms,
});

/** What a trial's progress updates. */
export interface TrialPatch {
  runId?: string;
  status: EvalTrialStatus;
  passed?: boolean;
  checks?: EvalCheckResult[];
  runStatus?: string;
  turns?: number;
  tokens?: number;
  costUsd?: number | null;
  durationMs?: number | null;
}

export type EvalStore = ReturnType<typeof createEvalStore>;

export function createEvalStore(db: Db) {
  const statements = {
    insert: db.prepare(
      `INSERT INTO evals (id, name, deployment, suite, suite_file, variants, repeat, status, recorded, replay_of, created_at)
       VALUES (@id, @name, @deployment, @suite, @suiteFile, @variants, @repeat, @status, @recorded, @replayOf, @createdAt)`,
    ),
    insertResult: db.prepare(
      `INSERT INTO eval_results (eval_id, case_index, variant_index, trial, case_name, variant_label, status)
       VALUES (?, ?, ?, ?, ?, ?, 'pending')`,
    ),
    get: db.prepare<[string], RawEval>('SELECT * FROM evals WHERE id = ?'),
    list: db.prepare<[number], RawEval>('SELECT * FROM evals ORDER BY id DESC LIMIT ?'),
    withStatus: db.prepare<[string], RawEval>('SELECT * FROM evals WHERE status = ?'),
    finish: db.prepare('UPDATE evals SET status = ?, error = ?, ended_at = ? WHERE id = ?'),
    results: db.prepare<[string], RawResult>(
      'SELECT * FROM eval_results WHERE eval_id = ? ORDER BY trial, case_index, variant_index',
    ),
    updateResult: db.prepare(
      `UPDATE eval_results SET run_id = COALESCE(@runId, run_id), status = @status, passed = @passed,
         checks = COALESCE(@checks, checks), run_status = COALESCE(@runStatus, run_status),
         turns = COALESCE(@turns, turns), tokens = COALESCE(@tokens, tokens), cost_usd = @costUsd,
         duration_ms = @durationMs
       WHERE eval_id = @evalId AND case_index = @caseIndex AND variant_index = @variantIndex AND trial = @trial`,
    ),
    cancelPending: db.prepare(
      "UPDATE eval_results SET status = 'cancelled' WHERE eval_id = ? AND status IN ('pending', 'running')",
    ),
  };
  return {
    /** Stores a new eval and a pending row for each of its trials, in one transaction. */
    insert(row: EvalRow): void {
      db.transaction(() => {
        statements.insert.run({
          ...row,
          suite: JSON.stringify(row.suite),
          variants: JSON.stringify(row.variants),
          recorded: row.recorded ? 1 : 0,
        });
        row.suite.cases.forEach((c, caseIndex) => {
          row.variants.forEach((v, variantIndex) => {
            for (let trial = 1; trial <= row.repeat; trial++)
              statements.insertResult.run(row.id, caseIndex, variantIndex, trial, c.name, v.label);
          });
        });
      })();
    },
    get(id: string): EvalRow | undefined {
      const raw = statements.get.get(id);
      return raw && toEval(raw);
    },
    list(limit: number): EvalRow[] {
      return statements.list.all(limit).map(toEval);
    },
    withStatus(status: EvalStatus): EvalRow[] {
      return statements.withStatus.all(status).map(toEval);
    },
    finish(id: string, status: EvalStatus, error: string | null, endedAt: string): void {
      statements.finish.run(status, error, endedAt, id);
    },
    results(id: string): EvalResultRow[] {
      return statements.results.all(id).map(toResult);
    },
    updateTrial(
      evalId: string,
      at: { caseIndex: number; variantIndex: number; trial: number },
      patch: TrialPatch,
    ): void {
      statements.updateResult.run({
        evalId,
        ...at,
        runId: patch.runId ?? null,
        status: patch.status,
        passed: patch.passed ? 1 : 0,
        checks: patch.checks ? JSON.stringify(patch.checks) : null,
        runStatus: patch.runStatus ?? null,
        turns: patch.turns ?? null,
        tokens: patch.tokens ?? null,
        costUsd: patch.costUsd ?? null,
        durationMs: patch.durationMs ?? null,
      });
    },
    /** The status of each run, read without the run's messages (progress is polled often). */
    runStatuses(runIds: readonly string[]): Map<string, string> {
      if (runIds.length === 0) return new Map();
      const rows = db
        .prepare<string[], { id: string; status: string }>(
          `SELECT id, status FROM runs WHERE id IN (${runIds.map(() => '?').join(', ')})`,
        )
        .all(...runIds);
      return new Map(rows.map((row) => [row.id, row.status]));
    },
    /** Trials that never finished: what a cancelled or interrupted eval leaves. */
    cancelUnfinished(id: string): void {
      statements.cancelPending.run(id);
    },
  };
}

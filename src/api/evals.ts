import type { ModelConfig, Mount } from './types.js';

// Eval types as plain TypeScript, so the SDK's declarations need no schema library;
// eval-schemas.ts validates them and checks that its schemas accept exactly these.

export const CHECK_TYPES = [
  'output_contains',
  'output_matches',
  'file_exists',
  'file_contains',
  'command',
  'max_turns',
  'max_cost_usd',
  'judge',
] as const;
export type EvalCheckType = (typeof CHECK_TYPES)[number];

/**
 * What an eval checks about one trial. Checks that must see the agent's files (`file_exists`,
 * `file_contains`, `command`) run inside the run's container after the agent finishes, before the
 * container goes; the others read the finished run.
 */
export type EvalCheckInput =
  | { type: 'output_contains'; value: string; caseSensitive?: boolean }
  | { type: 'output_matches'; pattern: string; flags?: string }
  | { type: 'file_exists'; path: string }
  | { type: 'file_contains'; path: string; value: string }
  /** `run` in the container after the agent finished; exit 0 passes. Default timeout 60 s. */
  | { type: 'command'; run: string; timeoutMs?: number }
  | { type: 'max_turns'; value: number }
  | { type: 'max_cost_usd'; value: number }
  /** A model reads the run and the rubric, and says pass or fail with its reason. */
  | { type: 'judge'; model: ModelConfig; rubric: string };

export interface EvalCaseInput {
  name: string;
  message: string;
  /** A folder copied fresh into /workspace for every trial; relative to the suite file. */
  workspace?: string;
  mounts?: Mount[];
  context?: { files?: string[] };
  checks: EvalCheckInput[];
}

/** A suite as written in a `.json` or `.eval.ts` file (defaults not yet applied). */
export interface EvalSuiteInput {
  name: string;
  deployment: string;
  description?: string;
  /** Trials per case and variant when the command line does not say (default 1). */
  repeat?: number;
  cases: EvalCaseInput[];
}

/** One way to run the suite: a runtime version, a model and/or a draft system prompt. */
export interface EvalVariantInput {
  label?: string;
  runtimeVersion?: number;
  model?: ModelConfig;
  systemPrompt?: string;
  /** Where a draft prompt came from (a file name), for the label. */
  promptFile?: string;
}

/** `rt.evals.start(...)`: a suite over variants, `repeat` trials each. */
export interface StartEvalBody {
  suite: EvalSuiteInput;
  /** The suite file, for the record. */
  suiteFile?: string;
  /** Default: one variant, the deployment's current runtime. The first is the baseline of the deltas. */
  variants?: EvalVariantInput[];
  repeat?: number;
  /** Most trials in flight at once; default: every trial is queued at once (the deployment's maxConcurrent holds). */
  concurrency?: number;
  /** Mark the eval as a recording: `replay` of it plays its model turns again. */
  record?: boolean;
  /** Rerun a recorded eval: each trial plays the model turns of the same trial in that eval. */
  replay?: string;
}

export const EVAL_STATUSES = ['running', 'completed', 'cancelled', 'failed'] as const;
export type EvalStatus = (typeof EVAL_STATUSES)[number];

/** A variant as stored: its label and what it overrides. */
export interface EvalVariant {
  label: string;
  runtimeVersion?: number;
  model?: ModelConfig;
  systemPrompt?: string;
  promptFile?: string;
}

/** How far an eval has got. */
export interface EvalProgress {
  total: number;
  done: number;
  running: number;
  queued: number;
}

/** An eval as listed. */
export interface EvalData {
  id: string;
  name: string;
  deployment: string;
  suiteFile: string | null;
  status: EvalStatus;
  error: string | null;
  repeat: number;
  variants: EvalVariant[];
  cases: string[];
  recorded: boolean;
  /** The eval whose model turns this one replayed. */
  replayOf: string | null;
  progress: EvalProgress;
  /** Pass rate over every finished trial; null before any. */
  passRate: number | null;
  /** Per variant, in the order of `variants`: trials passed of those finished. */
  byVariant: { label: string; passed: number; finished: number }[];
  createdAt: string;
  endedAt: string | null;
}

/** One check's result. `detail` says what was seen (a command's output, a judge's reason). */
export interface EvalCheckResult {
  type: EvalCheckType;
  passed: boolean;
  detail: string;
}

export type EvalTrialStatus = 'pending' | 'running' | 'passed' | 'failed' | 'cancelled';

/** One trial: a case, run once on a variant. */
export interface EvalTrialResult {
  case: string;
  variant: string;
  /** From 1. */
  trial: number;
  runId: string | null;
  status: EvalTrialStatus;
  passed: boolean;
  checks: EvalCheckResult[];
  runStatus: string | null;
  turns: number;
  tokens: number;
  costUsd: number | null;
  durationMs: number | null;
}

/** A variant's numbers over its finished trials. */
export interface EvalVariantReport {
  label: string;
  /** Passed trials / finished trials. */
  passRate: number;
  /** Mean over cases of the share of trials that passed (the chance one trial passes). */
  passAt1: number;
  /** Share of cases that passed in every trial (pass^k, k = the repeat). */
  passHatK: number;
  trials: number;
  passed: number;
  meanTurns: number;
  meanTokens: number;
  meanCostUsd: number | null;
  meanDurationMs: number;
  /** Against the first variant; null on the first. */
  delta: { passRate: number; meanTurns: number; meanCostUsd: number | null; meanDurationMs: number } | null;
}

/** A case across variants: passes per variant, and whether it is flaky there. */
export interface EvalCaseReport {
  case: string;
  variants: { label: string; passed: number; trials: number; flaky: boolean }[];
}

export interface EvalReport {
  variants: EvalVariantReport[];
  cases: EvalCaseReport[];
}

/** An eval with every trial and its report. */
export interface EvalDetail extends EvalData {
  results: EvalTrialResult[];
  report: EvalReport;
}

import { z } from 'zod';
import { modelConfigSchema, mountSchema, slugSchema } from './schemas.js';
import type { ModelConfig } from './types.js';

/**
 * What an eval checks about one trial. Checks that must see the agent's files (`file_exists`,
 * `file_contains`, `command`) run inside the run's container after the agent finishes, before the
 * container goes; the others read the finished run.
 */
export const evalCheckSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('output_contains'),
      value: z.string().min(1, 'value is the text the output must contain'),
      caseSensitive: z.boolean().optional(),
    }),
    z.strictObject({
      type: z.literal('output_matches'),
      pattern: z.string().refine(isRegExp, 'pattern is not a valid regular expression; check its escapes'),
      flags: z
        .string()
        .regex(/^[dgimsuyv]*$/, 'flags are regular expression flags, like "i"')
        .optional(),
    }),
    z.strictObject({ type: z.literal('file_exists'), path: sandboxPath() }),
    z.strictObject({
      type: z.literal('file_contains'),
      path: sandboxPath(),
      value: z.string().min(1, 'value is the text the file must contain'),
    }),
    z.strictObject({
      type: z.literal('command'),
      run: z.string().min(1, 'run is a shell command, like "npm test"; exit 0 passes'),
      timeoutMs: z.number().int().min(100).max(3_600_000).default(60_000),
    }),
    z.strictObject({ type: z.literal('max_turns'), value: z.number().int().min(1) }),
    z.strictObject({ type: z.literal('max_cost_usd'), value: z.number().min(0) }),
    z.strictObject({
      type: z.literal('judge'),
      model: modelConfigSchema,
      rubric: z.string().min(1, 'rubric says what the judge should look for'),
    }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `unknown check type; use one of ${CHECK_TYPES.join(', ')}`
        : 'a check is an object with a "type"',
  },
);

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

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function sandboxPath() {
  return z
    .string()
    .min(1)
    .refine((p) => p.startsWith('/'), {
      error: (i) =>
        `path "${String(i.input)}" must be absolute in the container, like "/workspace/package.json"`,
    });
}

export const evalCaseSchema = z.strictObject({
  name: z.string().min(1, 'every case needs a name'),
  message: z.string().min(1, 'message is what the agent is asked to do'),
  /** A folder copied fresh into /workspace for every trial; relative to the suite file. */
  workspace: z.string().min(1).optional(),
  mounts: z.array(mountSchema).default([]),
  context: z.strictObject({ files: z.array(z.string().min(1)).default([]) }).default({ files: [] }),
  checks: z
    .array(evalCheckSchema)
    .min(1, 'a case needs at least one check, like {"type": "output_contains", "value": "done"}'),
});

export const evalSuiteSchema = z
  .strictObject({
    name: z.string().min(1, 'name the suite, like "todo-app"'),
    deployment: slugSchema,
    description: z.string().optional(),
    /** Trials per case and variant when the command line does not say (default 1). */
    repeat: z.number().int().min(1).max(100).optional(),
    cases: z.array(evalCaseSchema).min(1, 'a suite needs at least one case'),
  })
  .refine((suite) => new Set(suite.cases.map((c) => c.name)).size === suite.cases.length, {
    error: 'two cases have the same name; give each case its own name',
    path: ['cases'],
  });

/** One way to run the suite: a runtime version, a model and/or a draft system prompt. */
export const evalVariantSchema = z.strictObject({
  label: z.string().min(1).max(120).optional(),
  runtimeVersion: z.number().int().min(1).optional(),
  model: modelConfigSchema.optional(),
  systemPrompt: z.string().min(1, "systemPrompt must not be empty; omit it to use the runtime's").optional(),
  /** Where a draft prompt came from (a file name), for the label. */
  promptFile: z.string().optional(),
});

export const startEvalSchema = z.strictObject({
  suite: evalSuiteSchema,
  /** The suite file, for the record. */
  suiteFile: z.string().optional(),
  /** Default: one variant, the deployment's current runtime. The first is the baseline of the deltas. */
  variants: z.array(evalVariantSchema).min(1).max(50).optional(),
  repeat: z.number().int().min(1).max(100).optional(),
  /** Most trials in flight at once; default: every trial is queued at once (the deployment's maxConcurrent holds). */
  concurrency: z.number().int().min(1).max(1000).optional(),
  /** Mark the eval as a recording: `replay` of it plays its model turns again. */
  record: z.boolean().default(false),
  /** Rerun a recorded eval: each trial plays the model turns of the same trial in that eval. */
  replay: z.string().min(1).optional(),
});

export type EvalCheck = z.output<typeof evalCheckSchema>;
export type EvalCase = z.output<typeof evalCaseSchema>;
export type EvalSuite = z.output<typeof evalSuiteSchema>;
/** A suite as written in a `.json` or `.eval.ts` file (defaults not yet applied). */
export type EvalSuiteInput = z.input<typeof evalSuiteSchema>;
export type EvalVariantInput = z.input<typeof evalVariantSchema>;
export type StartEvalBody = z.input<typeof startEvalSchema>;
export type StartEvalRequest = z.output<typeof startEvalSchema>;

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

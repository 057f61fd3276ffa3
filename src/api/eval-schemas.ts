// The eval request schemas (zod): server-side only; evals.ts has the plain types the SDK uses.
import { z } from 'zod';
import { CHECK_TYPES, type EvalSuiteInput, type EvalVariantInput, type StartEvalBody } from './evals.js';
import { agrees, type Same } from './schema-agreement.js';
import { modelConfigSchema, mountSchema, slugSchema } from './schemas.js';

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
export type StartEvalRequest = z.output<typeof startEvalSchema>;

// The plain input types of evals.ts (what the SDK declares) must match what these schemas accept.
agrees<Same<EvalSuiteInput, z.input<typeof evalSuiteSchema>>>();
agrees<Same<EvalVariantInput, z.input<typeof evalVariantSchema>>>();
agrees<Same<StartEvalBody, z.input<typeof startEvalSchema>>>();

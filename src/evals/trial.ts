import type { EvalCase } from '../api/eval-schemas.js';
import type { EvalCheckResult, EvalVariant } from '../api/evals.js';
import type { RunRequestBody } from '../api/schemas.js';
import type { AgentRunData, ModelConfig } from '../api/types.js';
import type { RunParts } from '../engine/parts.js';
import type { RunExtras } from '../engine/runs.js';
import { isInContainer, runInContainerChecks } from './checks/in-container.js';
import { judge } from './checks/judge.js';
import { isRunCheck, runCheck } from './checks/run-checks.js';

/** Where a trial sits in the grid. */
export interface TrialKey {
  caseIndex: number;
  variantIndex: number;
  trial: number;
}

/** The run request of one trial: the case's task on the variant's version, model and prompt. */
export function trialRequest(
  c: EvalCase,
  variant: EvalVariant,
  workspaceId: string | undefined,
  replayRun: string | undefined,
): RunRequestBody {
  const model: ModelConfig | undefined = replayRun ? { provider: 'replay', run: replayRun } : variant.model;
  return {
    message: c.message,
    mounts: workspaceId ? [...c.mounts, { workspaceId, path: '/workspace' }] : c.mounts,
    context: { files: c.context.files, history: [] },
    ...(variant.runtimeVersion ? { runtimeVersion: variant.runtimeVersion } : {}),
    ...(model ? { model } : {}),
    ...(variant.systemPrompt ? { systemPrompt: variant.systemPrompt } : {}),
  };
}

/**
 * The hook that runs the case's in-container checks inside the run's sandbox before it goes
 * (RunExtras.afterRun), and a way to collect what they found once the run has ended.
 */
export function inContainerHook(c: EvalCase): {
  /** None when the case has no in-container check: the run ends as any run does. */
  afterRun: RunExtras['afterRun'];
  results: () => EvalCheckResult[] | undefined;
} {
  const checks = c.checks.filter(isInContainer);
  let results: EvalCheckResult[] | undefined;
  if (checks.length === 0) return { afterRun: undefined, results: () => [] };
  return {
    afterRun: async (sandbox, _outcome, signal) => {
      results = await runInContainerChecks(sandbox, checks, signal);
    },
    results: () => results,
  };
}

/** Every check of the case, in the suite's order, against the ended run. */
export async function scoreTrial(
  c: EvalCase,
  run: AgentRunData,
  inContainer: EvalCheckResult[] | undefined,
  parts: RunParts,
  signal: AbortSignal,
): Promise<{ passed: boolean; checks: EvalCheckResult[] }> {
  const containerResults = [...(inContainer ?? [])];
  const checks: EvalCheckResult[] = [];
  for (const check of c.checks) {
    if (isRunCheck(check)) checks.push(runCheck(check, run));
    else if (isInContainer(check)) {
      checks.push(
        containerResults.shift() ?? {
          type: check.type,
          passed: false,
          detail: `not run: the run ended ${run.status} before its container could be checked${run.error ? ` (${run.error})` : ''}`,
        },
      );
    } else if (run.status !== 'completed') {
      checks.push({ type: 'judge', passed: false, detail: `not judged: the run ended ${run.status}` });
    } else {
      checks.push(await judge(check, c.message, run, parts, signal));
    }
  }
  return { passed: run.status === 'completed' && checks.every((check) => check.passed), checks };
}

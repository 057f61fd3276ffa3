import type { EvalCheck } from '../../api/eval-schemas.js';
import type { EvalCheckResult } from '../../api/evals.js';
import type { AgentRunData } from '../../api/types.js';

/** The checks that read the finished run: its output, turns and cost. */
export type RunCheck = Extract<
  EvalCheck,
  { type: 'output_contains' | 'output_matches' | 'max_turns' | 'max_cost_usd' }
>;

export const isRunCheck = (check: EvalCheck): check is RunCheck =>
  check.type === 'output_contains' ||
  check.type === 'output_matches' ||
  check.type === 'max_turns' ||
  check.type === 'max_cost_usd';

/** Scores one run check against the finished run. */
export function runCheck(check: RunCheck, run: AgentRunData): EvalCheckResult {
  switch (check.type) {
    case 'output_contains': {
      if (run.output === null) return noOutput(check.type, run);
      const output = check.caseSensitive ? run.output : run.output.toLowerCase();
      const value = check.caseSensitive ? check.value : check.value.toLowerCase();
      const found = output.includes(value);
      return {
        type: check.type,
        passed: found,
        detail: `${found ? 'contains' : 'does not contain'} ${JSON.stringify(check.value)}`,
      };
    }
    case 'output_matches': {
      if (run.output === null) return noOutput(check.type, run);
      const match = new RegExp(check.pattern, check.flags).exec(run.output);
      return {
        type: check.type,
        passed: match !== null,
        detail: match
          ? `matched ${JSON.stringify(match[0])}`
          : `no match for /${check.pattern}/${check.flags ?? ''}`,
      };
    }
    case 'max_turns':
      return {
        type: check.type,
        passed: run.turns <= check.value,
        detail: `${run.turns} turn${run.turns === 1 ? '' : 's'} (at most ${check.value})`,
      };
    case 'max_cost_usd': {
      const cost = run.usage.costUsd;
      // Scripted, replay and custom models have no known price: nothing real was spent that we can count.
      if (cost === null)
        return {
          type: check.type,
          passed: true,
          detail: "cost unknown (the model's price is not known): not limited",
        };
      return {
        type: check.type,
        passed: cost <= check.value,
        detail: `$${cost.toFixed(4)} (at most $${check.value})`,
      };
    }
  }
}

function noOutput(type: EvalCheckResult['type'], run: AgentRunData): EvalCheckResult {
  return {
    type,
    passed: false,
    detail: `no output: the run ended ${run.status}${run.error ? ` (${run.error})` : ''}`,
  };
}

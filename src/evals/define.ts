import type { EvalSuiteInput } from '../api/evals.js';

/** An eval suite as a `.eval.ts` file declares it: the same shape as a `.json` suite. */
export type EvalDefinition = EvalSuiteInput;

/**
 * Declares an eval suite. It returns its argument unchanged; it exists so an editor checks and
 * completes the suite:
 *
 * ```ts
 * import { defineEval } from 'runtools/config';
 * export default defineEval({ name: 'todo-app', deployment: 'demo', cases: [...] });
 * ```
 */
export function defineEval(suite: EvalDefinition): EvalDefinition {
  return suite;
}

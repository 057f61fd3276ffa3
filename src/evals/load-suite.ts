import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { type EvalCheck, type EvalSuite, evalSuiteSchema } from '../api/eval-schemas.js';
import { modelConfigProblem } from '../api/model-names.js';
import { ConfigError, type ConfigProblem } from '../config/errors.js';
import { commonProblem, fieldPath, importModule, valueAt } from '../config/load-module.js';

/** A suite read from its file: validated, its workspace folders made absolute. */
export interface LoadedSuite {
  file: string;
  suite: EvalSuite;
}

/**
 * Loads a `.json` suite, or a `.ts`/`.mts`/`.js` one whose default export is `defineEval({...})`.
 * Every problem is a ConfigError naming the file, the field and the fix.
 */
export async function loadSuite(file: string): Promise<LoadedSuite> {
  const absolute = path.resolve(file);
  if (!existsSync(absolute)) {
    throw new ConfigError(absolute, [
      { field: '(file)', message: 'does not exist; check the path of the suite file' },
    ]);
  }
  const raw = absolute.endsWith('.json') ? readJson(absolute) : await importSuite(absolute);
  const parsed = evalSuiteSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      absolute,
      parsed.error.issues.map((issue) => toProblem(issue, raw)),
    );
  }
  return { file: absolute, suite: resolveSuite(absolute, parsed.data) };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(file, [
      { field: '(file)', message: `is not valid JSON (${(error as Error).message}); fix it and try again` },
    ]);
  }
}

async function importSuite(file: string): Promise<unknown> {
  const module = await importModule(file, 'try again');
  if (module.default === undefined) {
    throw new ConfigError(file, [
      {
        field: '(file)',
        message:
          'exports no suite; end it with "export default defineEval({ name, deployment, cases: [...] })"',
      },
    ]);
  }
  return module.default;
}

/** Workspace folders resolve against the suite file; judge models are checked like a config's. */
function resolveSuite(file: string, suite: EvalSuite): EvalSuite {
  const dir = path.dirname(file);
  const problems: ConfigProblem[] = [];
  const cases = suite.cases.map((raw, index) => {
    const c = { ...raw, checks: raw.checks.map((check) => resolveJudge(dir, check)) };
    c.checks.forEach((check, checkIndex) => {
      if (check.type !== 'judge') return;
      const problem = modelConfigProblem(check.model);
      if (problem) problems.push({ field: `cases[${index}].checks[${checkIndex}].model`, message: problem });
    });
    if (c.workspace === undefined) return c;
    const workspace = path.resolve(dir, c.workspace);
    if (!existsSync(workspace) || !statSync(workspace).isDirectory()) {
      problems.push({
        field: `cases[${index}].workspace`,
        message: `"${c.workspace}" is not a folder (looked for ${workspace}); create it or fix the path, which is relative to the suite file`,
      });
    }
    return { ...c, workspace };
  });
  if (problems.length > 0) throw new ConfigError(file, problems);
  return { ...suite, cases };
}

/** A scripted judge's script is relative to the suite file, like everything else in it. */
function resolveJudge(dir: string, check: EvalCheck): EvalCheck {
  if (check.type !== 'judge' || typeof check.model === 'string' || check.model.provider !== 'scripted')
    return check;
  return { ...check, model: { ...check.model, script: path.resolve(dir, check.model.script) } };
}

function toProblem(issue: z.core.$ZodIssue, root: unknown): ConfigProblem {
  const field = issue.path.length > 0 ? fieldPath(issue.path) : '(suite)';
  const key = String(issue.path.at(-1) ?? 'suite');
  if (valueAt(root, issue.path) === undefined && issue.code === 'invalid_type') {
    return { field, message: `is required: add ${key}` };
  }
  return commonProblem(issue, field);
}

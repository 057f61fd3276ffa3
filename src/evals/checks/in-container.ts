import type { EvalCheck } from '../../api/eval-schemas.js';
import type { EvalCheckResult } from '../../api/evals.js';
import type { Sandbox } from '../../sandbox/types.js';

/** The checks that look at the container as the agent left it. */
export type InContainerCheck = Extract<EvalCheck, { type: 'file_exists' | 'file_contains' | 'command' }>;

export const isInContainer = (check: EvalCheck): check is InContainerCheck =>
  check.type === 'file_exists' || check.type === 'file_contains' || check.type === 'command';

/** Largest file `file_contains` reads; a bigger one fails the check with that said. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** How much of a command's output is kept with its result (the end, where errors are). */
const KEPT_OUTPUT = 4000;

/**
 * Runs a case's in-container checks, one after another (a command may depend on the files the
 * previous one looked at), through the sandbox: the kernel enforces the mounts, and reads go
 * through the container's view. A cancelled run stops them.
 */
export async function runInContainerChecks(
  sandbox: Sandbox,
  checks: InContainerCheck[],
  signal: AbortSignal,
): Promise<EvalCheckResult[]> {
  const results: EvalCheckResult[] = [];
  for (const check of checks) {
    if (signal.aborted) {
      results.push({ type: check.type, passed: false, detail: 'not run: the run was cancelled' });
      continue;
    }
    results.push(await runOne(sandbox, check, signal));
  }
  return results;
}

async function runOne(
  sandbox: Sandbox,
  check: InContainerCheck,
  signal: AbortSignal,
): Promise<EvalCheckResult> {
  try {
    switch (check.type) {
      case 'file_exists': {
        const entry = await sandbox.stat(check.path);
        return entry
          ? { type: check.type, passed: true, detail: `${check.path} exists (${entry.type})` }
          : { type: check.type, passed: false, detail: `no file at ${check.path}` };
      }
      case 'file_contains':
        return await fileContains(sandbox, check);
      case 'command': {
        const result = await sandbox.exec(check.run, {
          cwd: '/workspace',
          timeoutMs: check.timeoutMs,
          signal,
        });
        const output = `${result.stdout}${result.stderr ? `\n${result.stderr}` : ''}`.trim();
        const kept = output.length > KEPT_OUTPUT ? `…${output.slice(-KEPT_OUTPUT)}` : output;
        const how = result.timedOut ? `timed out after ${check.timeoutMs} ms` : `exit ${result.exitCode}`;
        return {
          type: check.type,
          passed: result.exitCode === 0 && !result.timedOut,
          detail: `$ ${check.run} → ${how}${kept ? `\n${kept}` : ''}`,
        };
      }
    }
  } catch (error) {
    return { type: check.type, passed: false, detail: `could not check: ${(error as Error).message}` };
  }
}

async function fileContains(
  sandbox: Sandbox,
  check: Extract<InContainerCheck, { type: 'file_contains' }>,
): Promise<EvalCheckResult> {
  const entry = await sandbox.stat(check.path);
  if (!entry) return { type: check.type, passed: false, detail: `no file at ${check.path}` };
  if (entry.type !== 'file')
    return { type: check.type, passed: false, detail: `${check.path} is a ${entry.type}, not a file` };
  if (entry.size > MAX_FILE_BYTES)
    return {
      type: check.type,
      passed: false,
      detail: `${check.path} is ${entry.size} bytes, more than the ${MAX_FILE_BYTES} a check reads`,
    };
  const text = (await sandbox.readFile(check.path)).toString('utf8');
  const found = text.includes(check.value);
  return {
    type: check.type,
    passed: found,
    detail: found
      ? `${check.path} contains ${JSON.stringify(check.value)}`
      : `${check.path} (${text.length} chars) does not contain ${JSON.stringify(check.value)}`,
  };
}

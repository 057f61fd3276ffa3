import type { EvalCheck } from '../../api/eval-schemas.js';
import type { EvalCheckResult } from '../../api/evals.js';
import type { AgentRunData } from '../../api/types.js';
import type { RunParts } from '../../engine/parts.js';

export type JudgeCheck = Extract<EvalCheck, { type: 'judge' }>;

/** What the judge is told to be; its answer must be one JSON object. */
export const JUDGE_SYSTEM = `You are an impartial judge of an AI agent's work. You get a task, a rubric, and what the agent did:
its final answer and the files it changed. Decide whether the work meets the rubric.
Answer with exactly one JSON object and nothing else: {"pass": true or false, "reason": "one or two sentences"}`;

/** How much of the run the judge reads: its output and diffs, each cut to this many characters. */
const MAX_OUTPUT = 8000;
const MAX_DIFFS = 16_000;
const JUDGE_TIMEOUT_MS = 120_000;

/**
 * Asks a model (through the same adapters and registry runs use) whether the run meets the rubric.
 * The verdict and the model's reason are the check's result; a judge that cannot be reached or
 * answers out of form fails the check, saying so.
 */
export async function judge(
  check: JudgeCheck,
  task: string,
  run: AgentRunData,
  parts: RunParts,
  signal: AbortSignal,
): Promise<EvalCheckResult> {
  const timeout = AbortSignal.any([signal, AbortSignal.timeout(JUDGE_TIMEOUT_MS)]);
  let answer = '';
  try {
    await parts.load?.();
    const adapter = parts.createModel(check.model);
    for await (const chunk of adapter.stream(
      {
        system: JUDGE_SYSTEM,
        messages: [{ role: 'user', content: [{ type: 'text', text: judgePrompt(check.rubric, task, run) }] }],
        tools: [],
        maxTokens: 1024,
      },
      timeout,
    )) {
      if (chunk.type === 'finish')
        answer = chunk.message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
    }
  } catch (error) {
    return {
      type: 'judge',
      passed: false,
      detail: `the judge could not answer: ${(error as Error).message}`,
    };
  }
  return parseVerdict(answer);
}

function judgePrompt(rubric: string, task: string, run: AgentRunData): string {
  const diffs = run.files.map((f) => `--- ${f.path} (${f.change})\n${f.diff}`).join('\n');
  return [
    `<task>\n${task}\n</task>`,
    `<rubric>\n${rubric}\n</rubric>`,
    `<run status="${run.status}" turns="${run.turns}">`,
    `<final_answer>\n${cut(run.output ?? run.error ?? '', MAX_OUTPUT)}\n</final_answer>`,
    `<changed_files>\n${cut(diffs, MAX_DIFFS) || '(none)'}\n</changed_files>`,
    '</run>',
  ].join('\n');
}

const cut = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;

/** The first JSON object in the answer with a boolean `pass`; anything else fails, quoting it. */
export function parseVerdict(answer: string): EvalCheckResult {
  const match = /\{[\s\S]*\}/.exec(answer);
  if (match) {
    try {
      const verdict = JSON.parse(match[0]) as { pass?: unknown; reason?: unknown };
      if (typeof verdict.pass === 'boolean') {
        const reason = typeof verdict.reason === 'string' ? verdict.reason : '(no reason given)';
        return { type: 'judge', passed: verdict.pass, detail: reason };
      }
    } catch {
      // Not JSON after all: reported below.
    }
  }
  return {
    type: 'judge',
    passed: false,
    detail: `the judge did not answer {"pass", "reason"}: ${JSON.stringify(answer.slice(0, 300))}`,
  };
}

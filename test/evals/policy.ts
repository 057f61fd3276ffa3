import type { FakeTurn } from '../fakes/fake-server.js';
import type { Policy } from '../fakes/prompted-openai.js';

/** The draft prompt that makes the fake agent careful: it writes a test script that passes. */
export const CAREFUL_PROMPT = 'You are a CAREFUL engineer: make sure every script you write exits 0.';

const bash = (command: string): FakeTurn => ({
  text: 'Running a command.',
  toolCalls: [{ name: 'bash', input: { command } }],
  usage: { inputTokens: 100, outputTokens: 20 },
});
const answer = (text: string): FakeTurn => ({ text, usage: { inputTokens: 120, outputTokens: 10 } });

/**
 * The fake agent the eval tests play against: what it does depends on the task and on whether the
 * system prompt says CAREFUL. A judge's request (system prompt of the judge) is answered from what
 * the run's final answer says. `coin` counts conversations per prompt and task: odd ones say heads.
 */
export function evalPolicy(): Policy {
  const conversations = new Map<string, number>();
  return ({ system, task, turn, toolResults }) => {
    if (system.includes('impartial judge')) {
      const pass = /<final_answer>[\s\S]*hello[\s\S]*<\/final_answer>/.test(task);
      return answer(
        JSON.stringify({ pass, reason: pass ? 'the answer greets' : 'no greeting in the answer' }),
      );
    }
    const careful = system.includes('CAREFUL');
    if (task.startsWith('Write hello')) {
      return turn === 0 ? bash('echo hello > /workspace/hello.txt') : answer('Done: hello.txt says hello.');
    }
    if (task.startsWith('Add a test script')) {
      if (turn === 0) return bash(`printf 'echo checking\\nexit ${careful ? 0 : 1}\\n' > /workspace/test.sh`);
      return answer('Added test.sh.');
    }
    if (task.startsWith('Flip a coin')) {
      const key = `${careful}:${task}`;
      const n = (conversations.get(key) ?? 0) + 1;
      if (turn === 0) conversations.set(key, n);
      return answer(n % 2 === 1 ? 'heads' : 'tails');
    }
    if (task.startsWith('Read the data')) {
      if (turn === 0) return bash('cat /workspace/data.txt; echo changed-by-agent >> /workspace/data.txt');
      return answer(`The data says ${toolResults[0]?.split('\n')[0] ?? 'nothing'}.`);
    }
    if (task.startsWith('Take your time')) {
      if (turn === 0) return bash('sleep 30');
      return answer('Slept.');
    }
    return answer(`I do not know the task "${task}".`);
  };
}

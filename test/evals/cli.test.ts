import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EvalData } from '../../src/api/evals.js';
import type { AgentRunData } from '../../src/api/types.js';
import type { EvalJsonReport } from '../../src/cli/eval-render.js';
import { type Project, project } from '../cli/helpers.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { startPromptedOpenAI } from '../fakes/prompted-openai.js';
import { describeDocker } from '../helpers/docker.js';
import { CAREFUL_PROMPT, evalPolicy } from './policy.js';

/** Docker runs from a child process on a shared 2-core machine: minutes, not seconds. */
const LONG = 400_000;

type JsonReport = EvalJsonReport;

describeDocker('runtools eval, as a person runs it', () => {
  let fake: FakeServer;
  let p: Project;

  beforeAll(async () => {
    fake = await startPromptedOpenAI(evalPolicy());
    p = project({
      'runtools.config.ts': `import { defineConfig } from 'runtools/config';
export default defineConfig({
  runtimes: [{
    slug: 'coder',
    systemPrompt: { file: './prompts/coder.md' },
    model: { provider: 'custom', endpoint: ${JSON.stringify(fake.baseURL)}, format: 'openai', model: 'fake-coder' },
    tools: ['bash'],
  }],
  deployments: [{ apiSlug: 'coder', runtimeSlug: 'coder', templateSlug: 'nodejs-20', sandbox: 'docker', maxConcurrent: 4, timeout: 120 }],
});
`,
      'prompts/coder.md': 'You are an engineer.\n',
      'drafts/careful.md': `${CAREFUL_PROMPT}\n`,
      'evals/scripts.eval.json': JSON.stringify({
        name: 'scripts',
        deployment: 'coder',
        cases: [
          {
            name: 'test script passes',
            message: 'Add a test script test.sh',
            checks: [{ type: 'command', run: 'sh test.sh', timeoutMs: 20000 }],
          },
          { name: 'coin', message: 'Flip a coin', checks: [{ type: 'output_contains', value: 'heads' }] },
        ],
      }),
      'evals/hello.eval.ts': `import { defineEval } from 'runtools/config';
export default defineEval({
  name: 'hello',
  deployment: 'coder',
  cases: [{ name: 'writes hello', message: 'Write hello to hello.txt', checks: [{ type: 'file_contains', path: '/workspace/hello.txt', value: 'hello' }] }],
});
`,
      'evals/slow.eval.json': JSON.stringify({
        name: 'slow',
        deployment: 'coder',
        cases: [
          {
            name: 'quick',
            message: 'Write hello to hello.txt',
            checks: [{ type: 'output_contains', value: 'hello' }],
          },
          { name: 'slow', message: 'Take your time', checks: [{ type: 'output_contains', value: 'Slept' }] },
        ],
      }),
      'evals/bad.eval.json': JSON.stringify({
        name: 'bad',
        deployment: 'coder',
        cases: [{ name: 'x', message: 'y', checks: [{ type: 'command', run: '' }] }],
      }),
    });
  });
  afterAll(async () => {
    p?.cleanup();
    await fake?.close();
  });

  it(
    'compares the prompt with a draft: --json prints the issue shape, --fail-under exits 1 below the rate',
    async () => {
      const result = await p.cli([
        'eval',
        'evals/scripts.eval.json',
        '--prompt-file',
        'drafts/careful.md',
        '--repeat',
        '2',
        '--json',
        '--fail-under',
        '0.8',
      ]);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/✖ pass rate under 80%: current 25%, careful\.md 75%/);
      const report = JSON.parse(result.stdout) as JsonReport;
      expect(Object.keys(report)).toEqual(['variants', 'results']);
      expect(report.variants).toEqual([
        {
          label: 'current',
          passRate: 0.25,
          trials: 4,
          meanCostUsd: null,
          meanTurns: expect.any(Number),
          meanDurationMs: expect.any(Number),
        },
        {
          label: 'careful.md',
          passRate: 0.75,
          trials: 4,
          meanCostUsd: null,
          meanTurns: expect.any(Number),
          meanDurationMs: expect.any(Number),
        },
      ]);
      expect(report.results).toHaveLength(8);
      expect(Object.keys(report.results[0]!)).toEqual([
        'case',
        'variant',
        'trial',
        'runId',
        'passed',
        'checks',
      ]);
      const failing = report.results.find((r) => r.case === 'test script passes' && r.variant === 'current');
      expect(failing?.checks).toEqual([
        {
          type: 'command',
          passed: false,
          detail: expect.stringMatching(/^\$ sh test\.sh → exit 1\nchecking/),
        },
      ]);

      // The table of the same eval, from the store; the runs are in runs list, tagged.
      const list = JSON.parse((await p.cli(['evals', 'list', '--json'])).stdout) as EvalData[];
      expect(list[0]).toMatchObject({
        name: 'scripts',
        status: 'completed',
        progress: { total: 8, done: 8 },
      });
      const shown = await p.cli(['evals', 'show', list[0]!.id]);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toMatch(/current\s+25% \(1\/4\)\s+0\.25\s+0\.00/);
      expect(shown.stdout).toMatch(/careful\.md\s+75% \(3\/4\)\s+0\.75\s+0\.50 .*\+50 pts/);
      expect(shown.stdout).toMatch(/coin\s+1\/2 flaky\s+1\/2 flaky/);
      expect(shown.stdout).toMatch(/test script passes\s+0\/2\s+2\/2/);
      expect(shown.stdout).toMatch(
        /✖ test script passes · current · trial \d · command: \$ sh test\.sh → exit 1/,
      );
      const runs = JSON.parse(
        (await p.cli(['runs', 'list', '--json', '--limit', '50'])).stdout,
      ) as AgentRunData[];
      expect(runs.filter((r) => r.input.eval?.id === list[0]!.id)).toHaveLength(8);
    },
    LONG,
  );

  it(
    'a .ts suite passing its gate prints the table and exits 0',
    async () => {
      const result = await p.cli(['eval', 'evals/hello.eval.ts', '--fail-under', '1']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/trials 0\/1 · running \d · queued \d/);
      expect(result.stderr).toMatch(/trials 1\/1 · running 0 · queued 0/);
      expect(result.stdout).toMatch(/hello · coder · 1 case × 1 variant × 1 trial · completed/);
      expect(result.stdout).toMatch(/current\s+100% \(1\/1\)/);
    },
    LONG,
  );

  it('a bad suite file names the file, the field and the fix, and runs nothing', async () => {
    const result = await p.cli(['eval', 'evals/bad.eval.json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /evals\/bad\.eval\.json is not valid:\n\s+cases\[0\]\.checks\[0\]\.run: run is a shell command, like "npm test"; exit 0 passes/,
    );
    const missing = await p.cli(['eval', 'evals/scripts.eval.json', '--versions', '1,7']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/runtime "coder" has no version 7; its versions are 1 to 1/);
  });

  it(
    'Ctrl-C mid-eval cancels its runs and keeps what finished',
    async () => {
      const running = p.spawn(['eval', 'evals/slow.eval.json', '--concurrency', '1']);
      await running.waitFor(/trials 1\/2 · running 1/, { stream: 'stderr', timeoutMs: 240_000 });
      running.proc.kill('SIGINT');
      const result = await running.exited;
      expect(result.code).toBe(130);
      expect(result.stderr).toMatch(/cancelling the eval: its runs in flight stop, what finished is kept/);
      expect(result.stdout).toMatch(/slow · coder · 2 cases × 1 variant × 1 trial · cancelled/);
      expect(result.stdout).toMatch(/current\s+100% \(1\/1\)/);
      expect(result.stdout).toMatch(/1 trial cancelled before finishing \(not counted\)/);
      const list = JSON.parse((await p.cli(['evals', 'list', '--json'])).stdout) as EvalData[];
      const shown = JSON.parse((await p.cli(['evals', 'show', list[0]!.id, '--json'])).stdout) as JsonReport;
      expect(shown.results.map((r) => [r.case, r.passed])).toEqual([
        ['quick', true],
        ['slow', false],
      ]);
      const runs = JSON.parse((await p.cli(['runs', 'list', '--json'])).stdout) as AgentRunData[];
      const slow = runs.find((r) => r.id === shown.results[1]!.runId);
      expect(slow?.status).toBe('cancelled');
    },
    LONG,
  );
});

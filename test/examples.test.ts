import { execFile } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeDocker } from './helpers/docker.js';
import { type Harness, startHarness } from './helpers/transports.js';

const run = promisify(execFile);
const EXAMPLES = path.resolve('examples');

/** What each example must print, checked loosely: the docs' snippets are the contract. */
const EXPECT: Record<string, RegExp> = {
  '01-create-runtime.ts': /created code-assistant v1 on claude-opus-4-5/,
  '02-model-configuration.ts': /on-custom .*"provider":"custom"[\s\S]*custom key shown as \[redacted\]/,
  '03-create-deployment.ts': /^http:\/\/127\.0\.0\.1:\d+\/v1\/run\/my-code-bot$/m,
  '04-simple-run.ts': /Done: todo app created\.[\s\S]*\/workspace\/src\/App\.tsx/,
  '05-streaming.ts':
    /\[thinking\] Planning[\s\S]*\[tool\] edit_file[\s\S]*\[edit\] \/workspace\/src\/App\.tsx[\s\S]*\[result\][\s\S]*\[done\] Done: todo app created\./,
  '06-mounts.ts':
    /completed \[[\s\S]*created \/workspace\/src\/App\.tsx[\s\S]*workspace on disk: .*user-123-project/,
  '07-context.ts': /completed Done: todo app created\./,
  '08-run-controls.ts': /pause -> [\s\S]*resume -> [\s\S]*input -> [\s\S]*cancel -> cancelled/,
  '09-managing-runtimes.ts':
    /updated: Updated prompt\.\.\. \[ 'bash', 'read_file', 'edit_file', 'gmail' \][\s\S]*deleted scratch/,
  '10-versioning.ts': /v1 create[\s\S]*now at \d+ with prompt/,
  '11-run-history.ts': /\d+ completed runs[\s\S]*\d+ messages[\s\S]*Done: todo app created\./,
  '12-managing-deployments.ts': /maxConcurrent 20[\s\S]*deleted my-code-bot/,
  '13-types.ts': /completed/,
};

const SCRIPT = {
  turns: [
    {
      thinking: 'Planning the app: a component and a stylesheet.',
      delayMs: 200,
      toolCalls: [
        { name: 'bash', input: { command: 'mkdir -p src' } },
        {
          name: 'edit_file',
          input: {
            path: 'src/App.tsx',
            old_string: '',
            new_string: 'export const App = () => <h1>Todos</h1>;\n',
          },
        },
        {
          name: 'edit_file',
          input: { path: 'src/styles.css', old_string: '', new_string: 'body { margin: 0; }\n' },
        },
      ],
    },
    { delayMs: 200, toolCalls: [{ name: 'bash', input: { command: 'ls -R src' } }] },
    { delayMs: 200, text: 'Done: todo app created.' },
  ],
};

describeDocker('the SDK docs snippets in examples/', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('http', {
      env: { ...process.env, GITHUB_TOKEN: 'ghp_example', DATABASE_URL: 'postgres://example' },
    });
    writeFileSync(path.join(h.projectDir, 'todo.json'), JSON.stringify(SCRIPT));
  });
  afterAll(() => h?.close());

  it('each runs unchanged against a local server, in order', async () => {
    const files = readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.ts'))
      .sort();
    expect(files).toEqual(Object.keys(EXPECT));
    for (const file of files) {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(EXAMPLES, file)], {
        env: {
          ...process.env,
          RUNTOOLS_BASE_URL: h.server!.url,
          RUNTOOLS_API_KEY: 'test-key',
          MY_MODEL_KEY: 'sk-example',
        },
        timeout: 120_000,
      });
      expect(stdout, file).toMatch(EXPECT[file]!);
      if (file === '01-create-runtime.ts') {
        // No Anthropic key here: the docs' runtime runs on the scripted model from now on.
        await h.api.runtimes.update('code-assistant', {
          model: { provider: 'scripted', script: './todo.json' },
        });
        await h.api.runtimes.createVersion('code-assistant');
      }
    }
  }, 600_000);
});

import { cpSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { afterEach, expect, it } from 'vitest';
import { describeDocker } from '../helpers/docker.js';
import { type Project, project, REPO } from './helpers.js';

let p: Project;
afterEach(() => p?.cleanup());

/** A copy of this repo's own project files: its runtools.config.ts, prompts and demo script. */
function repoProject(): Project {
  p = project({});
  for (const rel of ['runtools.config.ts', 'prompts', 'scripts/demo']) {
    cpSync(path.join(REPO, rel), path.join(p.dir, rel), { recursive: true });
  }
  return p;
}

describeDocker('the demo on a fresh machine (no keys, Docker)', () => {
  it('runtools run demo "Create a todo app" makes real files with real tools in a container', async () => {
    repoProject();
    const result = await p.cli(['run', 'demo', 'Create a todo app'], {
      env: { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '', GEMINI_API_KEY: '', GOOGLE_API_KEY: '' },
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/⏺ bash \$ node --version\n\s+⎿ v20\./);
    expect(out).toMatch(/⏺ edit_file src\/todos\.js \(new file/);
    expect(out).toMatch(
      /⏺ bash \$ node --test --test-reporter=dot && echo 'all tests pass'\n\s+⎿ \.{4}\n\s+all tests pass/,
    );
    expect(out).toMatch(/~ \/workspace\/src\/todos\.js modified \+4 -0/);
    expect(out).toMatch(/⏺ grep \/export function \\w\+\/ in src/);
    expect(out).toContain('[{"id":1,"title":"try runtools","done":false}]');
    expect(out).toMatch(/✔ completed · 9 turns[^\n]*5 files changed/);
    const [, id] = result.stderr.match(/run (run-\S+)/) ?? [];
    const files = await p.cli(['runs', 'show', id!, '--json']);
    expect(
      (JSON.parse(files.stdout) as { files: { path: string }[] }).files.map((f) => f.path).sort(),
    ).toEqual([
      '/workspace/package.json',
      '/workspace/public/index.html',
      '/workspace/src/server.js',
      '/workspace/src/todos.js',
      '/workspace/test/todos.test.js',
    ]);
    // The demo replays cleanly: every tool result is deterministic.
    const replay = await p.cli(['replay', id!]);
    expect(replay.stdout).toMatch(/✔ no differences: all 16 tool results match/);
  }, 180_000);

  it('Ctrl-C mid-run cancels it and removes its container', async () => {
    repoProject();
    const running = p.spawn(['run', 'demo', 'Create a todo app']);
    const [, id] = (await running.waitFor(/run (run-\S+)/, { stream: 'stderr', timeoutMs: 60_000 })) as [
      string,
      string,
    ];
    await running.waitFor(/⏺ edit_file/, { timeoutMs: 60_000 });
    running.proc.kill('SIGINT');
    const result = await running.exited;
    expect(result.code).toBe(130);
    expect(result.stdout).toMatch(/■ cancelled/);
    const left = await new Docker().listContainers({ all: true, filters: { label: [`runtools.run=${id}`] } });
    expect(left).toEqual([]);
  }, 120_000);
});

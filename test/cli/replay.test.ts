import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunExport } from '../../src/api/contract.js';
import { configTs, type Project, project, scriptJson } from './helpers.js';

const cleanups: Project[] = [];
afterEach(() => {
  for (const p of cleanups.splice(0)) p.cleanup();
});

/** A project that ran one run; returns it with the run's id. */
async function recorded(): Promise<{ p: Project; id: string }> {
  const p = project({
    'runtools.config.ts': configTs([{ slug: 'bot', script: './bot.json' }]),
    'bot.json': scriptJson([
      {
        toolCalls: [
          { name: 'bash', input: { command: 'printf "one\\ntwo\\n" > list.txt && wc -l < list.txt' } },
        ],
      },
      { toolCalls: [{ name: 'read_file', input: { path: 'list.txt' } }] },
      { text: 'two lines' },
    ]),
  });
  cleanups.push(p);
  const run = await p.cli(['run', 'bot', 'count', 'lines']);
  expect(run.code).toBe(0);
  const [, id] = run.stderr.match(/run (run-\S+)/) ?? [];
  return { p, id: id! };
}

/** An empty project (no config), as on another machine. */
function elsewhere(): Project {
  const p = project({});
  cleanups.push(p);
  return p;
}

describe('reproducing runs', () => {
  it('export -> import elsewhere -> replay runs the tools again and finds no differences', async () => {
    const { p, id } = await recorded();
    const file = path.join(p.dir, 'run.json');
    expect((await p.cli(['runs', 'export', id, '-o', file])).code).toBe(0);
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as RunExport;
    expect(bundle).toMatchObject({
      format: 'runtools.run/v1',
      run: { id, input: { message: 'count lines' }, toolCalls: [{ tool: 'bash' }, { tool: 'read_file' }] },
      runtime: { runtimeSlug: 'bot', version: 1, tools: ['bash', 'read_file', 'edit_file', 'grep', 'glob'] },
      deployment: { apiSlug: 'bot', sandbox: 'local', secrets: [] },
    });
    expect(bundle.run.messages.filter((m) => m.role === 'assistant')).toHaveLength(3);

    const other = elsewhere();
    const imported = await other.cli(['runs', 'import', file]);
    expect(imported.stdout).toContain(`imported run ${id} (bot, completed)`);
    const replay = await other.cli(['replay', id]);
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(
      /⏺ bash \$ printf[\s\S]*⎿ 2[\s\S]*✔ no differences: all 2 tool results match the recording/,
    );
  });

  it('replay reports a tool result that now differs, and exits 1', async () => {
    const { p, id } = await recorded();
    const file = path.join(p.dir, 'run.json');
    await p.cli(['runs', 'export', id, '-o', file]);
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as RunExport;
    bundle.run.toolCalls[0]!.output = '3';
    writeFileSync(file, JSON.stringify(bundle));

    const other = elsewhere();
    await other.cli(['runs', 'import', file]);
    const replay = await other.cli(['replay', id]);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/✖ 1 difference from the recording/);
    expect(replay.stdout).toMatch(/tool call 1: bash \$ printf[^\n]*\n[\s\S]*-3\n\s+\+2/);
    expect(replay.stdout).not.toMatch(/tool call 2/);

    const json = await other.cli(['replay', id, '--json']);
    const last = JSON.parse(json.stdout.trim().split('\n').at(-1)!) as {
      differences: { index: number; kind: string }[];
    };
    expect(last.differences).toEqual([
      expect.objectContaining({ index: 1, kind: 'output', recorded: '3', now: '2' }),
    ]);
  });

  it('rerun sends the same input to the current version and prints both runs side by side', async () => {
    const { p, id } = await recorded();
    p.write('bot.json', scriptJson([{ text: 'a different answer' }]));
    const rerun = await p.cli(['rerun', id]);
    expect(rerun.code).toBe(0);
    const out = rerun.stdout;
    expect(out).toMatch(new RegExp(`before: ${id}\\s+│ now: run-`));
    expect(out).toMatch(/turns\s+3\s+│ 1/);
    expect(out).toMatch(/tool calls\s+2: bash, read_file\s+│ 0: -/);
    expect(out).toMatch(/output\s+two lines\s+│ a different answer/);
    expect(out).toMatch(/runtime\s+bot v1\s+│ bot v1/);
  });

  it('export refuses a run that does not exist, in CLI words', async () => {
    const p = elsewhere();
    const result = await p.cli(['runs', 'export', 'run-nope']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no run "run-nope"; see the run ids with "runtools runs list"/);
  });
});

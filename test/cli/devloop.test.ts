import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentRunData, AgentRunEvent, AgentRuntimeData } from '../../src/api/types.js';
import { apiCall, configTs, type Project, project, REPO, scriptJson, startDev } from './helpers.js';

let p: Project;
let stop: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
  p?.cleanup();
});

function setup(extra: Record<string, string> = {}): Project {
  p = project({
    'runtools.config.ts': configTs([
      { slug: 'bot', script: './one.json', prompt: { file: './prompts/bot.md' } },
      { slug: 'slow', script: './slow.json' },
      { slug: 'stepped', script: './stepped.json' },
    ]),
    'prompts/bot.md': 'Prompt one.\n',
    'one.json': scriptJson([{ text: 'answer one' }]),
    'slow.json': scriptJson([{ text: 'slow answer', delayMs: 60_000 }]),
    'stepped.json': scriptJson([
      { toolCalls: [{ name: 'bash', input: { command: 'echo one' } }] },
      { text: 'stepped through' },
    ]),
    ...extra,
  });
  return p;
}

/** Runs one of examples/ as a user would (tsx resolves @runtools/sdk to src/). */
function runExample(
  file: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(REPO, 'examples', file)],
      { cwd: REPO, env: { ...process.env, ...env }, timeout: 120_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const apiKey = () => readFileSync(path.join(p.dataDir, 'api-key'), 'utf8').trim();

describe('the dev loop: rollback and the versions log', () => {
  it('rollback of a config runtime is refused with the file to edit; the restore it suggests works; the dev log shows every version', async () => {
    setup();
    const { dev, url, stop: end } = await startDev(p);
    stop = end;
    p.write('prompts/bot.md', 'Prompt two.\n');
    await dev.waitFor(/runtime bot changed: v1 -> v2/);

    const refused = await p.cli(['runtimes', 'rollback', 'bot', '1']);
    expect(refused.code).toBe(1);
    const promptFile = path.join(p.dir, 'prompts/bot.md');
    expect(refused.stderr).toContain(`runtime "bot" comes from the config, so its prompt file ${promptFile}`);
    expect(refused.stderr).toContain(`runtools runtimes show bot --version 1 --prompt > ${promptFile}`);
    // Over HTTP it is a 409 with the same words.
    const response = await fetch(`${url}/v1/runtimes/bot/rollback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ version: 1 }),
    });
    expect(response.status).toBe(409);

    // The suggested restore: the whole v1 prompt, as is, into the file; the server versions it.
    const v1 = await p.cli(['runtimes', 'show', 'bot', '--version', '1', '--prompt']);
    expect(v1.stdout).toBe('Prompt one.\n');
    const mark = dev.stdout().length;
    writeFileSync(promptFile, v1.stdout);
    await dev.waitFor(/runtime bot changed: v2 -> v3/, { from: mark });
    const show = await p.cli(['runtimes', 'show', 'bot']);
    expect(show.stdout).toMatch(/^bot v3 .* config\n[\s\S]*systemPrompt:\n {2}Prompt one\./);

    // An API runtime rolls back; the dev log prints the version the API made, with its diff.
    const headers = { authorization: `Bearer ${apiKey()}`, 'content-type': 'application/json' };
    await fetch(`${url}/v1/runtimes`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        slug: 'api-bot',
        model: { provider: 'scripted', script: './one.json' },
        systemPrompt: 'API one.',
      }),
    });
    await fetch(`${url}/v1/runtimes/api-bot`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ systemPrompt: 'API two.' }),
    });
    await fetch(`${url}/v1/runtimes/api-bot/versions`, { method: 'POST', headers });
    await dev.waitFor(/~ runtime api-bot v1 -> v2 \(createVersion\)/);
    const rolled = await p.cli(['runtimes', 'rollback', 'api-bot', '1']);
    expect(rolled.stdout).toMatch(/runtime api-bot rolled back to v1: now v3/);
    await dev.waitFor(
      /~ runtime api-bot v2 -> v3 \(rollback to 1\)[\s\S]*- {2}API two\.\n\s+\+ {2}API one\./,
    );
    expect(dev.stdout()).toMatch(/~ runtime api-bot v1 \(create\)/);

    const list = JSON.parse((await p.cli(['runtimes', 'list', '--json'])).stdout) as AgentRuntimeData[];
    expect(list.map((r) => [r.slug, r.version, r.source])).toEqual(
      expect.arrayContaining([
        ['bot', 3, 'config'],
        ['api-bot', 3, 'api'],
      ]),
    );
  });
});

describe('the CLI finds its server and says where', () => {
  it('run, runs and show find dev on any port through its record; dev prints a line per run; a wrong key names the key file', async () => {
    setup();
    const { dev, url, stop: end } = await startDev(p);
    stop = end;
    expect(dev.stdout()).toMatch(/try: runtools run bot "hello"/);
    // No --base-url: RUNTOOLS_BASE_URL (set to a dead port by the helpers) does not answer, the record does.
    const run = await p.cli(['run', 'bot', 'hi']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`(server ${url})`);
    const [, id] = run.stderr.match(/run (run-\S+)/) ?? [];
    await dev.waitFor(new RegExp(`run ${id} bot started \\(bot v1\\)`));
    await dev.waitFor(new RegExp(`run ${id} bot completed in \\d`));

    // Ids by unique prefix and "last"; a missing one in CLI words.
    const byLast = await p.cli(['runs', 'show', 'last', '--json']);
    expect((JSON.parse(byLast.stdout) as AgentRunData).id).toBe(id);
    const byPrefix = await p.cli(['runs', 'show', id!.slice(0, 16), '--json']);
    expect((JSON.parse(byPrefix.stdout) as AgentRunData).id).toBe(id);
    const missing = await p.cli(['runs', 'show', 'run-nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/error: no run "run-nope"; see the run ids with "runtools runs list"/);

    const wrongKey = await p.cli(['runs', 'list'], { env: { RUNTOOLS_API_KEY: 'wrong' } });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain(`the key in ${path.join(p.dataDir, 'api-key')}`);

    // A run held before its tool call: one "started", then "paused" with why, "resumed", the end.
    const key = readFileSync(path.join(p.dataDir, 'api-key'), 'utf8').trim();
    const stepped = apiCall<AgentRunData>(url, key, '/v1/run/stepped', {
      method: 'POST',
      body: { message: 'step', pauseBeforeTools: true },
    });
    const [, held] = (await dev.waitFor(/run (run-\S+) stepped paused: (.+)/)) as string[];
    await apiCall(url, key, `/v1/runs/${held}/resume`, { method: 'POST' });
    expect((await stepped).status).toBe('completed');
    await dev.waitFor(new RegExp(`run ${held} stepped completed in \\d`));
    const said = dev
      .stdout()
      .split('\n')
      .filter((line) => line.includes(`run ${held} `));
    expect(said.map((line) => line.replace(/^.*? run \S+ stepped /, '').replace(/ in .*$/, ''))).toEqual([
      'started (stepped v1)',
      expect.stringMatching(/^paused: .*bash/),
      'resumed',
      'completed',
    ]);
  });

  it('a provider key missing on the server is said to be the server’s, with the .env beside the config', async () => {
    setup();
    p.write(
      'runtools.config.ts',
      configTs([{ slug: 'my-code-bot', script: './one.json' }]).replace(
        /"model":\{"provider":"scripted","script":"\.\/one\.json"\}/,
        '"model":"claude-sonnet-4-5"',
      ),
    );
    const dev = p.spawn(['dev', '--port', '0'], { env: { ANTHROPIC_API_KEY: '' } });
    stop = async () => {
      dev.proc.kill('SIGINT');
      return dev.exited;
    };
    const [, url] = (await dev.waitFor(/listening on (http:\/\/\S+)/)) ?? [];
    await dev.waitFor(/watching the config/);
    // The key is in THIS shell, not the server's: the error says whose environment needs it.
    const run = await p.cli(['run', 'my-code-bot', 'hi'], { env: { ANTHROPIC_API_KEY: 'sk-in-my-shell' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `the runtools server at ${url} \\(pid \\d+\\) runs the model, so ITS environment needs ANTHROPIC_API_KEY`,
      ),
    );
    expect(run.stderr).toContain(`add ANTHROPIC_API_KEY=... to ${path.join(p.dir, '.env')}`);
    // The docs' simple-run example says how the run ended, and fails, instead of printing null.
    const example = await runExample('04-simple-run.ts', {
      RUNTOOLS_BASE_URL: url!,
      RUNTOOLS_API_KEY: apiKey(),
    });
    expect(example.code).toBe(1);
    expect(example.stderr).toMatch(/run run-\S+ failed: set ANTHROPIC_API_KEY/);
    expect(example.stdout).toBe('');
    // doctor reads the .env too.
    p.write('.env', 'ANTHROPIC_API_KEY=sk-from-dotenv\n');
    const doctor = JSON.parse(
      (await p.cli(['doctor', '--json', '--port', '0'], { env: { ANTHROPIC_API_KEY: '' } })).stdout,
    ) as {
      checks: { name: string; level: string; detail: string }[];
    };
    expect(doctor.checks.find((c) => c.name === 'Anthropic key')).toMatchObject({ level: 'ok' });
    expect(JSON.stringify(doctor)).not.toContain('sk-from-dotenv');
  });

  it('a data dir held by another process says so and how to reach a server elsewhere', async () => {
    setup();
    const holder = p.spawn(['run', 'slow', 'wait']);
    await holder.waitFor(/run (run-\S+)/, { stream: 'stderr' });
    const blocked = await p.cli(['runs', 'list']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(
      /another runtools engine \(pid \d+\) is using the data dir .*pass --base-url <its URL>/,
    );
    holder.proc.kill('SIGINT');
    await holder.exited;
  });

  it('stopping dev with a run in progress records it interrupted, and the follower is told the server went away', async () => {
    setup();
    const { dev, stop: end } = await startDev(p);
    stop = end;
    const follower = p.spawn(['run', 'slow', 'wait']);
    const [, id] = (await follower.waitFor(/run (run-\S+)/, { stream: 'stderr' })) ?? [];
    await dev.waitFor(new RegExp(`run ${id} slow started`));
    const stopped = await end();
    stop = undefined;
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(
      new RegExp(`run ${id} slow interrupted in .*the server stopped while the run was running`),
    );
    const result = await follower.exited;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`the runtools server went away: run ${id} ended interrupted`));
    expect(result.stderr).not.toMatch(/ECONNREFUSED/);
    const after = JSON.parse((await p.cli(['runs', 'show', id!, '--json'])).stdout) as AgentRunData;
    expect(after.status).toBe('interrupted');
  });
});

describe('the CLI fails before a run starts', () => {
  it('a missing context file, scripted file or replayed run stores no run; the help says --context-file is a workspace path', async () => {
    setup();
    const context = await p.cli(['run', 'bot', 'hi', '--context-file', 'notes.md']);
    expect(context.code).toBe(1);
    expect(context.stderr).toMatch(
      /--context-file "notes\.md" is read from the run's workspace, as \/workspace\/notes\.md \(not from this machine's current folder\)/,
    );
    const script = await p.cli(['run', 'bot', 'hi', '--model', 'scripted:/nope.json']);
    expect(script.stderr).toMatch(/--model: scripted model: script file \/nope\.json does not exist/);
    const replay = await p.cli(['run', 'bot', 'hi', '--model', 'replay:run-nope']);
    expect(replay.stderr).toMatch(/--model replay: no run "run-nope"/);
    const runs = JSON.parse((await p.cli(['runs', 'list', '--json'])).stdout) as AgentRunData[];
    expect(runs).toEqual([]);
    const help = await p.cli(['run', '--help']);
    expect(help.stdout).toMatch(/--context-file <path>[\s\S]*as a path IN\s+THE\s+RUN'S\s+WORKSPACE/);
    expect(help.stdout).toMatch(/--pause-on-tool\s+hold\s+each\s+tool\s+call\s+BEFORE/);
  });

  it('a context file in a mounted workspace is read; an unknown --mount workspace is created and said so', async () => {
    setup({ 'libs/notes.md': 'the notes\n' });
    p.write(
      'runtools.config.ts',
      configTs([{ slug: 'bot', script: './one.json' }], "\n  workspaces: [{ id: 'libs', path: './libs' }],"),
    );
    const ok = await p.cli([
      'run',
      'bot',
      'hi',
      '--mount',
      'libs:/libs',
      '--context-file',
      '/libs/notes.md',
      '--json',
    ]);
    expect(ok.code).toBe(0);
    const fresh = await p.cli(['run', 'bot', 'hi', '--mount', 'nope:/x', '--json']);
    expect(fresh.code).toBe(0);
    expect(fresh.stderr).toMatch(
      /workspace "nope" does not exist: the run creates it as an empty managed workspace/,
    );
    const events = fresh.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AgentRunEvent);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'status',
        reason: expect.stringMatching(/workspace "nope" does not exist/),
      }),
    );
    const spaces = await p.cli(['workspaces', 'list']);
    expect(spaces.stdout).toMatch(/nope\s+managed/);
  });

  it('the message comes from stdin or a file; --version; --port in words; dev --help shows the defaults; --host 0.0.0.0 says what it exposes', async () => {
    setup();
    const stdin = await p.cli(['run', 'bot', '-', '--json'], { input: 'from stdin\n' });
    expect(stdin.code).toBe(0);
    p.write('message.txt', 'from a file');
    const file = await p.cli(['run', 'bot', '--message-file', 'message.txt', '--json']);
    expect(file.code).toBe(0);
    const runs = JSON.parse((await p.cli(['runs', 'list', '--json'])).stdout) as AgentRunData[];
    expect(runs.map((r) => r.input.message)).toEqual(['from a file', 'from stdin\n']);

    const version = await p.cli(['--version']);
    expect(version.stdout.trim()).toBe(
      (
        JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
          version: string;
        }
      ).version,
    );
    const port = await p.cli(['dev', '--port', 'abc']);
    expect(port.code).toBe(1);
    expect(port.stderr).toMatch(/"abc" is not a port number; use 1 to 65535 \(or 0 for any free port\)/);
    const help = await p.cli(['dev', '--help']);
    expect(help.stdout).toMatch(/--port <port>[\s\S]*\(default: 4400\)/);
    expect(help.stdout).toMatch(/--host <host>[\s\S]*\(default: "127\.0\.0\.1"\)/);

    const { dev, stop: end } = await startDev(p, ['--host', '0.0.0.0']);
    stop = end;
    expect(dev.stdout()).toMatch(
      /! listening on 0\.0\.0\.0: other machines that reach this one can call the API/,
    );
    expect(dev.stdout()).toMatch(/to let others in by a name or address, add it: --allow-host <name>/);
  });
});

describe('starting in your own project', () => {
  it('runtools init in an empty folder makes a project that runs; workspaces list, rm and prune clean up after runs', async () => {
    p = project({});
    const init = await p.cli(['init', '--sandbox', 'local']);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(
      /\+ runtools\.config\.ts\n\s+\+ prompts\/assistant\.md\n\s+\+ scripts\/hello\.json/,
    );
    expect(readFileSync(path.join(p.dir, '.gitignore'), 'utf8')).toBe('.runtools/\n.env\n');
    const again = await p.cli(['init']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/runtools\.config\.ts already exists here/);

    const run = await p.cli(['run', 'demo', 'hello', '--mount', 'scratch:/scratch']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/⎿ hello from runtools[\s\S]*✔ completed/);
    const [, id] = run.stderr.match(/run (run-\S+)/) ?? [];

    const list = await p.cli(['workspaces', 'list', '--json']);
    const spaces = JSON.parse(list.stdout) as { id: string; path: string; managed: boolean }[];
    expect(spaces.map((w) => w.id).sort()).toEqual([id, 'scratch'].sort());
    const runSpace = spaces.find((w) => w.id === id)!;
    expect(readFileSync(path.join(runSpace.path, 'hello.txt'), 'utf8')).toBe('hello from runtools\n');

    const rm = await p.cli(['workspaces', 'rm', 'scratch']);
    expect(rm.stdout).toMatch(/removed scratch and its folder/);
    const prune = await p.cli(['workspaces', 'prune']);
    expect(prune.stdout).toMatch(/removed 1 managed workspace\b/);
    expect(existsSync(runSpace.path)).toBe(false);
    expect(JSON.parse((await p.cli(['workspaces', 'list', '--json'])).stdout)).toEqual([]);
  });
});

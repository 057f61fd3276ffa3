import { afterEach, describe, expect, it } from 'vitest';
import type { AgentRunData, AgentRunEvent } from '../../src/api/types.js';
import { configTs, type Project, project, scriptJson } from './helpers.js';

const WORK = [
  {
    thinking: 'The user wants a note. I will write one.',
    text: 'Writing a note.',
    toolCalls: [{ name: 'bash', input: { command: 'echo hello > note.txt && cat note.txt' } }],
  },
  {
    toolCalls: [
      { name: 'edit_file', input: { path: 'app.js', old_string: '', new_string: 'console.log(1);\n' } },
    ],
  },
  { text: 'All done: note.txt and app.js.' },
];

let p: Project;
afterEach(() => p?.cleanup());

function setup(extra: Record<string, string> = {}): Project {
  p = project({
    'runtools.config.ts': configTs([
      { slug: 'bot', script: './bot.json' },
      { slug: 'slow', script: './slow.json' },
    ]),
    'bot.json': scriptJson(WORK),
    'slow.json': scriptJson([
      { toolCalls: [{ name: 'bash', input: { command: 'echo started' } }] },
      { text: 'never reached', delayMs: 60_000 },
    ]),
    ...extra,
  });
  return p;
}

describe('runtools run', () => {
  it('streams the run as it happens and ends with a summary', async () => {
    const result = await setup().cli(['run', 'bot', 'write', 'a', 'note']);
    expect(result.code).toBe(0);
    const out = result.stdout;
    // Thinking, text, tool calls with their input, results, a file diff, in order.
    const order = [
      '✻ The user wants a note. I will write one.',
      'Writing a note.',
      '⏺ bash $ echo hello > note.txt && cat note.txt',
      '⎿ hello',
      '⏺ edit_file app.js (new file, 2 lines)',
      '+ /workspace/app.js created +1 -0',
      '+console.log(1);',
      'All done: note.txt and app.js.',
      '✔ completed · 3 turns · 0 in / 0 out tokens',
    ].map((line) => out.indexOf(line));
    expect(order, out).not.toContain(-1);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(out).toMatch(/2 files changed\n {2}\+ \/workspace\/app\.js\n {2}\+ \/workspace\/note\.txt/);
    expect(result.stderr).toMatch(/▶ bot · run run-\S+ \(in-process/);
  });

  it('--json prints one event a line, ending with the terminal status', async () => {
    const result = await setup().cli(['run', 'bot', 'go', '--json']);
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AgentRunEvent);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type === 'tool_call').map((e) => e.type === 'tool_call' && e.tool)).toEqual(
      ['bash', 'edit_file'],
    );
    expect(events.find((e) => e.type === 'tool_result')).toMatchObject({ output: 'hello', isError: false });
    expect(events.at(-2)).toMatchObject({ type: 'complete', output: 'All done: note.txt and app.js.' });
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'completed' });
  });

  it('Ctrl-C cancels the run: it ends cancelled and the command exits 130', async () => {
    setup();
    const running = p.spawn(['run', 'slow', 'go']);
    await running.waitFor(/⎿ started/);
    running.proc.kill('SIGINT');
    const result = await running.exited;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/cancelling the run/);
    expect(result.stdout).toMatch(/■ cancelled · 1 turn/);
    const list = await p.cli(['runs', 'list', '--json']);
    expect((JSON.parse(list.stdout) as AgentRunData[])[0]).toMatchObject({
      deployment: 'slow',
      status: 'cancelled',
    });
  });

  it('--pause-on-tool holds each tool call before it runs: Enter runs it, c + Enter stops pausing', async () => {
    setup();
    const running = p.spawn(['run', 'bot', 'go', '--pause-on-tool']);
    await running.waitFor(/⏸ paused before bash: Enter runs it · c \+ Enter continues without pausing/, {
      stream: 'stderr',
    });
    // Held: the call is shown, its result is not there yet (stdout and stderr are two pipes: the
    // call's line may arrive after the pause's).
    await running.waitFor(/bash/);
    expect(running.stdout()).not.toContain('⎿ hello');
    running.proc.stdin!.write('\n');
    await running.waitFor(/paused before edit_file/, { stream: 'stderr' });
    await running.waitFor(/⎿ hello/);
    expect(running.stdout()).toContain('▶ resumed');
    expect(running.stdout()).not.toContain('All done');
    running.proc.stdin!.write('c\n');
    const result = await running.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/All done[\s\S]*✔ completed/);
    // One line per pause, and none after "c".
    expect(result.stderr.match(/⏸ paused before/g)).toHaveLength(2);
    expect(result.stderr).toContain('continuing without pausing');
  });

  it('--model replaces the runtime model for one run (scripted:<file>)', async () => {
    setup({ 'other.json': scriptJson([{ text: 'from the other script' }]) });
    const result = await p.cli(['run', 'bot', 'hi', '--model', 'scripted:./other.json']);
    expect(result.stdout).toMatch(/from the other script[\s\S]*✔ completed · 1 turn/);
    const bad = await p.cli(['run', 'bot', 'hi', '--model', 'llama3']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--model: unknown model "llama3"/);
  });

  it('an unknown deployment fails with the API message and exit code 1', async () => {
    const result = await setup().cli(['run', 'nope', 'hi']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/deployment "nope" not found; known deployments: bot, slow/);
  });
});

describe('runtools runs', () => {
  it('list, show and events read stored runs', async () => {
    setup();
    await p.cli(['run', 'bot', 'write a note']);
    const list = await p.cli(['runs', 'list', '--deployment', 'bot', '--status', 'completed']);
    const [id] = list.stdout.match(/run-\S+/) ?? [];
    expect(list.stdout).toMatch(/^RUN\s+STATUS\s+DEPLOYMENT \(RUNTIME\)\s+TURNS\s+TOKENS/);
    expect(list.stdout).toMatch(/completed\s+bot \(bot@v1\)\s+3\s/);
    expect((await p.cli(['runs', 'list', '--status', 'failed'])).stdout).toMatch(/no runs yet/);

    const show = await p.cli(['runs', 'show', id!]);
    expect(show.stdout).toContain(`run ${id}  bot · runtime bot v1`);
    expect(show.stdout).toMatch(/user: write a note/);
    expect(show.stdout).toMatch(/⏺ bash \$ echo hello > note\.txt && cat note\.txt \(\d+ ms\)\n\s+⎿ hello/);
    expect(show.stdout).toMatch(/files\n\s+created\s+\/workspace\/app\.js/);

    const events = await p.cli(['runs', 'events', id!, '--json']);
    const parsed = events.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AgentRunEvent);
    expect(parsed.at(-1)).toMatchObject({ type: 'status', status: 'completed' });
    const after = await p.cli(['runs', 'events', id!, '--after', String(parsed.length - 1), '--json']);
    expect(after.stdout.trim().split('\n')).toHaveLength(1);
  });
});

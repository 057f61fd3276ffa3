import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeDocker } from '../helpers/docker.js';
import { expectApiError } from '../helpers/errors.js';
import { type Harness, startHarness } from '../helpers/transports.js';
import { expectOtherRunCompletes, expectServerAnswers, startHostileRun } from './helpers.js';

describeDocker('the boundary: FIFOs, a unix socket and 100k files in the workspace', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness('http');
  });
  afterEach(() => h.close());

  it('five FIFOs and a unix socket hang nothing: tools, run.files, change tracking and other runs go on', async () => {
    const hostile = await startHostileRun(h, 'fifos', [
      {
        toolCalls: [
          { name: 'bash', input: { command: 'for i in 1 2 3 4 5; do mkfifo p$i; done; echo made' } },
          {
            name: 'bash',
            input: {
              command: `node -e "require('net').createServer().listen('/workspace/sock')"`,
              run_in_background: true,
            },
          },
        ],
      },
      {
        delayMs: 1_500,
        toolCalls: [
          { name: 'read_file', input: { path: 'p1' } },
          { name: 'edit_file', input: { path: 'p2', old_string: 'a', new_string: 'b' } },
          { name: 'read_file', input: { path: 'sock' } },
          { name: 'grep', input: { pattern: 'x' } },
        ],
      },
      { text: 'done' },
    ]);
    await expectServerAnswers(h);
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) {
      await expectApiError(hostile.run.files.read(`/${name}`), 400, /not a regular file/);
    }
    expect((await hostile.run.files.list('/')).find((e) => e.name === 'p1')).toMatchObject({ type: 'other' });
    await expectOtherRunCompletes(h);
    const result = await hostile.finish();
    expect(result.status).toBe('completed');
    const outputs = result.toolCalls.slice(2).map((c) => c.output);
    expect(outputs[0]).toMatch(/not a regular file/);
    expect(outputs[1]).toMatch(/not a regular file/);
    expect(outputs[2]).toMatch(/not a regular file/);
    // Once the container is gone, run.files reads the host side, by the same rule.
    for (const name of ['p1', 'p5', 'sock']) {
      await expectApiError(h.rt.runs.attach(result.id).files.read(`/${name}`), 400, /not a regular file/);
    }
    expect(result.files.map((f) => f.path)).toEqual(['/workspace']);
    expect(result.files[0]!.diff).toMatch(/FIFO\(s\), socket\(s\) or device\(s\) were skipped/);
    await expectServerAnswers(h);
    await expectOtherRunCompletes(h);
  }, 300_000);

  it('a 100k-file workspace: the walk is capped and says so, and the run ends', async () => {
    const hostile = await startHostileRun(h, 'many', [
      {
        toolCalls: [
          {
            name: 'bash',
            input: {
              command: 'mkdir many && cd many && seq 1 100000 | xargs touch && ls | wc -l',
              timeout_ms: 600_000,
            },
          },
        ],
      },
      { text: 'done' },
    ]);
    expect(hostile.seen.at(-1)).toMatchObject({ type: 'tool_result' });
    await expectServerAnswers(h);
    const result = await hostile.finish();
    expect(result.status).toBe('completed');
    expect(result.toolCalls[0]!.output).toContain('100000');
    expect(result.files.length).toBeLessThanOrEqual(10_001);
    expect(result.files.at(-1)).toMatchObject({
      path: '/workspace',
      diff: expect.stringMatching(
        /change tracking of \/workspace is incomplete: .*only the first 10000 files were tracked/,
      ),
    });
    await expectServerAnswers(h);
    await expectOtherRunCompletes(h);
  }, 600_000);
});

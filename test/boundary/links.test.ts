import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeDocker } from '../helpers/docker.js';
import { expectApiError } from '../helpers/errors.js';
import { type Harness, startHarness } from '../helpers/transports.js';
import {
  expectOtherRunCompletes,
  expectServerAnswers,
  hostSecret,
  recorded,
  startHostileRun,
} from './helpers.js';

describeDocker('the boundary: symlinks an agent makes in its workspace', () => {
  let h: Harness;
  let secret: ReturnType<typeof hostSecret>;
  beforeEach(async () => {
    h = await startHarness('http');
    secret = hostSecret();
  });
  afterEach(async () => {
    await h.close();
    secret.cleanup();
  });

  it('links to a host file, a host folder, / and a venv-like set are recorded as links; no host byte leaks', async () => {
    const hostile = await startHostileRun(h, 'links', [
      {
        toolCalls: [
          {
            name: 'bash',
            input: {
              command: [
                `ln -s ${secret.file} pw`,
                `ln -s ${secret.dir} host-folder`,
                'ln -s / root',
                'mkdir -p .venv/bin',
                'ln -s /usr/bin/python3 .venv/bin/python',
                'ln -s python .venv/bin/python3',
                'ln -s lib .venv/lib64',
                'echo made',
              ].join(' && '),
            },
          },
        ],
      },
      { delayMs: 1_500, toolCalls: [{ name: 'read_file', input: { path: 'pw' } }] },
      { text: 'done' },
    ]);
    await expectServerAnswers(h);
    // While the container is up, run.files reads through it: the link leads outside the mounts.
    await expectApiError(hostile.run.files.read('/pw'), 400, /outside the run's mounts/);
    await expectOtherRunCompletes(h);
    const result = await hostile.finish();
    expect(result.status).toBe('completed');
    const byPath = new Map(result.files.map((f) => [f.path, f]));
    expect([...byPath.keys()].sort()).toEqual([
      '/workspace/.venv/bin/python',
      '/workspace/.venv/bin/python3',
      '/workspace/.venv/lib64',
      '/workspace/host-folder',
      '/workspace/pw',
      '/workspace/root',
    ]);
    // Like git: a link's content is its target, as text.
    expect(byPath.get('/workspace/pw')!.diff).toContain(`+${secret.file}`);
    expect(byPath.get('/workspace/.venv/bin/python')!.diff).toContain('+/usr/bin/python3');
    // read_file reads through the container: the link's target is not there, so nothing is read.
    expect(result.toolCalls[1]!.output).toMatch(/file not found: pw/);
    expect(result.toolCalls[1]!.output).not.toContain(secret.marker);
    // After the run, reads come from the host side and never follow a link.
    await expectApiError(h.rt.runs.attach(result.id).files.read('/pw'), 400, /symlink/);
    await expectApiError(h.rt.runs.attach(result.id).files.read('/host-folder/secret.txt'), 400, /symlink/);
    const listed = await h.rt.runs.attach(result.id).files.list('/');
    expect(listed.find((e) => e.name === 'root')).toMatchObject({ type: 'symlink' });
    await expectApiError(h.rt.runs.attach(result.id).files.list('/root/etc'), 404, /symlink/);
    expect(await recorded(h, result.id)).not.toContain(secret.marker);
    await expectServerAnswers(h);
  }, 300_000);

  it('a folder and a file swapped for links to the host while the run watches and ends leak nothing', async () => {
    const hostile = await startHostileRun(h, 'race', [
      {
        toolCalls: [
          {
            name: 'bash',
            input: {
              command: `mkdir d && echo harmless > d/secret.txt && echo plain > f && (while :; do mv d d.real; ln -s ${secret.dir} d; rm d; mv d.real d; mv f f.real; ln -s ${secret.file} f; rm f; mv f.real f; done)`,
              run_in_background: true,
            },
          },
        ],
      },
      { delayMs: 3_000, toolCalls: [{ name: 'bash', input: { command: 'ls' } }] },
      { text: 'done' },
    ]);
    await expectServerAnswers(h);
    for (let i = 0; i < 10; i++) {
      await hostile.run.files.read('/d/secret.txt').catch(() => '');
      await hostile.run.files.read('/f').catch(() => '');
    }
    const result = await hostile.finish();
    expect(result.status).toBe('completed');
    expect(await recorded(h, result.id)).not.toContain(secret.marker);
    for (let i = 0; i < 10; i++) {
      const read = await h.rt.runs
        .attach(result.id)
        .files.read('/d/secret.txt')
        .catch((e: Error) => e.message);
      expect(read).not.toContain(secret.marker);
    }
  }, 300_000);
});

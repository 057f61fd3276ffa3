import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeDocker } from '../helpers/docker.js';
import { collect, deploy } from '../helpers/runs.js';
import { type Harness, startHarness } from '../helpers/transports.js';

const docker = new Docker();

describeDocker('the fast path in Docker', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness('in-process');
  });
  afterEach(() => h.close());

  it('tool steps make no docker exec each: a run of 12 read_file steps makes a constant few', async () => {
    await deploy(
      h,
      'reads',
      [
        { toolCalls: [{ name: 'edit_file', input: { path: 'a.txt', old_string: '', new_string: 'hi\n' } }] },
        ...Array.from({ length: 12 }, () => ({
          toolCalls: [{ name: 'read_file', input: { path: 'a.txt' } }],
        })),
        { text: 'read it' },
      ],
      { sandbox: 'docker', maxTurns: 50 },
    );
    const since = Math.floor(Date.now() / 1000) - 1;
    const run = await h.rt.agents.run('reads', { message: 'go' });
    expect(run.status).toBe('completed');
    const until = Math.ceil(Date.now() / 1000) + 1;
    const stream = await docker.getEvents({
      since,
      until,
      filters: { type: ['container'], event: ['exec_create'], label: [`runtools.run=${run.id}`] },
    });
    const text = await new Promise<string>((resolve, reject) => {
      let all = '';
      stream.on('data', (chunk: Buffer) => {
        all += chunk.toString();
      });
      stream.on('end', () => resolve(all));
      stream.on('error', reject);
    });
    const execs = text.split('\n').filter(Boolean);
    // The port watcher (the template publishes ports), and whatever the file tools need once;
    // not one per step (13 steps).
    expect(execs.length).toBeGreaterThan(0);
    expect(execs.length).toBeLessThan(5);
  });

  it('a sandbox that fails to start fails the run, even when the model answered without tools meanwhile', async () => {
    const dir = path.join(h.projectDir, 'templates', 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM debian:bookworm-slim\nRUN exit 3\n');
    writeFileSync(
      path.join(dir, 'template.json'),
      JSON.stringify({ description: 'fails to build', ports: [] }),
    );
    await deploy(h, 'talk', [{ text: 'no tools needed' }], {
      sandbox: 'docker',
      templateSlug: 'broken',
      tools: [],
    });
    await deploy(
      h,
      'tool',
      [{ toolCalls: [{ name: 'bash', input: { command: 'echo hi' } }] }, { text: 'x' }],
      {
        sandbox: 'docker',
        templateSlug: 'broken',
      },
    );
    for (const slug of ['talk', 'tool']) {
      const events = await collect(await h.rt.agents.run(slug, { message: 'go', stream: true }));
      const end = events.at(-1);
      expect(end).toMatchObject({ type: 'status', status: 'failed' });
      expect(events.find((e) => e.type === 'error')).toMatchObject({
        message: expect.stringMatching(/broken/),
      });
      expect(events.some((e) => e.type === 'tool_result')).toBe(false);
    }
  });
});

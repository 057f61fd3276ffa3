import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { afterEach, beforeEach, expect, it, onTestFinished } from 'vitest';
import type { AgentRunEvent } from '../../src/api/types.js';
import { describeDocker } from '../helpers/docker.js';
import { collect, deploy, types, until } from '../helpers/runs.js';
import { type Harness, startHarness, TRANSPORTS } from '../helpers/transports.js';

const SECRET = 'ghp_docker_secret_42x';
const docker = new Docker();

const containersOf = async (runId: string) =>
  docker.listContainers({ all: true, filters: { label: [`runtools.run=${runId}`] } });

/**
 * The run's containers once they are gone: removal follows the terminal event, off its critical
 * path, so this waits for it (up to 30 s) instead of assuming it already happened.
 */
async function containersAfterRemoval(runId: string): Promise<Docker.ContainerInfo[]> {
  const deadline = Date.now() + 30_000;
  let left = await containersOf(runId);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = await containersOf(runId);
  }
  return left;
}

for (const transport of TRANSPORTS) {
  describeDocker(`runs in Docker over ${transport}`, () => {
    let h: Harness;
    beforeEach(async () => {
      h = await startHarness(transport, { env: { ...process.env, GITHUB_TOKEN: SECRET } });
    });
    afterEach(() => h.close());

    it('reports every event type of a real run, a dev_url that answers among them', async () => {
      await deploy(
        h,
        'web',
        [
          {
            thinking: 'I will start a server and write a page.',
            text: 'Starting. ',
            toolCalls: [
              {
                name: 'bash',
                input: {
                  command: `node -e "require('http').createServer((q,s)=>s.end('hello from the container')).listen(3000)"`,
                  run_in_background: true,
                },
              },
            ],
          },
          {
            delayMs: 2_500,
            toolCalls: [
              {
                name: 'edit_file',
                input: { path: 'index.html', old_string: '', new_string: '<h1>hi</h1>\n' },
              },
            ],
          },
          { text: 'Served on port 3000.' },
        ],
        { sandbox: 'docker', templateSlug: 'nodejs-20' },
      );
      const run = await h.rt.agents.run('web', { message: 'serve something', stream: true });
      const iterator = run[Symbol.asyncIterator]();
      const seen = await until(iterator, (e) => e.type === 'dev_url');
      const devUrl = seen.at(-1) as Extract<AgentRunEvent, { type: 'dev_url' }>;
      expect(devUrl).toMatchObject({ port: 3000, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
      expect(await (await fetch(devUrl.url)).text()).toBe('hello from the container');
      await until(iterator, (e) => e.type === 'status' && e.status === 'completed', seen);
      const kinds = new Set(types(seen));
      for (const kind of [
        'thinking',
        'text',
        'tool_call',
        'tool_result',
        'file_edit',
        'dev_url',
        'usage',
        'complete',
        'status:completed',
      ]) {
        expect(kinds, kind).toContain(kind);
      }
      const result = await run.result();
      expect(result.devUrl).toBe(devUrl.url);
      expect(result.files.map((f) => f.path)).toContain('/workspace/index.html');
      expect(await containersAfterRemoval(run.id)).toEqual([]);
    });

    it('gives the container its secrets and keeps their values out of everything recorded', async () => {
      await deploy(
        h,
        'sec',
        [
          { toolCalls: [{ name: 'bash', input: { command: 'echo "got $GITHUB_TOKEN" | tee token.txt' } }] },
          { text: 'ok' },
        ],
        {
          sandbox: 'docker',
          secrets: ['GITHUB_TOKEN'],
        },
      );
      const run = await h.rt.agents.run('sec', { message: 'print it', stream: true });
      const events = await collect(run);
      const result = await h.rt.runs.get(run.id);
      expect(result.toolCalls[0]!.output).toContain('got [secret:GITHUB_TOKEN]');
      // The file in the workspace holds the real value: the agent had it; the record does not.
      expect(await run.files.read('/token.txt')).toContain(SECRET);
      expect(JSON.stringify([events, result])).not.toContain(SECRET);
    });

    it('cancel during a tool stops the process and removes the container', async () => {
      await deploy(
        h,
        'long',
        [{ toolCalls: [{ name: 'bash', input: { command: 'sleep 600; touch never.txt' } }] }, { text: 'x' }],
        {
          sandbox: 'docker',
        },
      );
      const run = await h.rt.agents.run('long', { message: 'go', stream: true });
      const iterator = run[Symbol.asyncIterator]();
      await until(iterator, (e) => e.type === 'tool_call');
      // The first model turn runs while the container starts: wait for it to exist.
      while ((await containersOf(run.id)).length === 0) await new Promise((r) => setTimeout(r, 50));
      const started = performance.now();
      expect((await run.cancel()).status).toBe('cancelled');
      // Far less than the command's 600 s, with room for a loaded machine: cancel did not wait for it.
      expect(performance.now() - started).toBeLessThan(120_000);
      expect(await containersAfterRemoval(run.id)).toEqual([]);
    }, 240_000);

    it('reports the build steps when a run has to build its template image', async () => {
      const dir = path.join(h.projectDir, 'templates', 'tiny');
      mkdirSync(dir, { recursive: true });
      // Unique contents: a new hash, so this run really builds.
      writeFileSync(
        path.join(dir, 'Dockerfile'),
        `FROM debian:bookworm-slim\nRUN echo ${randomUUID()} > /built\n`,
      );
      writeFileSync(path.join(dir, 'template.json'), JSON.stringify({ description: 'test', ports: [] }));
      await deploy(h, 'tiny', [{ text: 'built and ran' }], {
        sandbox: 'docker',
        templateSlug: 'tiny',
        tools: [],
      });
      const run = await h.rt.agents.run('tiny', { message: 'go', stream: true });
      const events = await collect(run);
      const builds = events.filter((e) => e.type === 'build');
      const steps = builds.map((e) => (e.type === 'build' ? e.step : ''));
      expect(steps[0]).toMatch(/^step 1\/\d+: FROM debian:bookworm-slim$/);
      expect(steps).toContainEqual(expect.stringMatching(/^step 2\/\d+: RUN echo [0-9a-f-]{36} > \/built$/));
      expect(steps.at(-1)).toMatch(/^built runtools\/tiny:[0-9a-f]{12}$/);
      // Its hash is unique to this test: left behind, every suite run would add an image.
      onTestFinished(async () => {
        await docker
          .getImage(steps.at(-1)!.replace(/^built /, ''))
          .remove({ force: true })
          .catch(() => {});
      });
      // The model's first turn runs while the image builds; the run ends only once its sandbox is up.
      expect(events.map((e) => e.type)).toContain('text');
      expect(events.findLastIndex((e) => e.type === 'build')).toBeLessThan(
        events.findIndex((e) => e.type === 'complete'),
      );
      expect(events.at(-1)).toMatchObject({ type: 'status', status: 'completed' });
    });

    it('a container that dies mid-run fails that run as an infrastructure error, not as command output', async () => {
      await deploy(
        h,
        'doomed',
        [{ toolCalls: [{ name: 'bash', input: { command: 'sleep 30' } }] }, { text: 'x' }],
        {
          sandbox: 'docker',
        },
      );
      const run = await h.rt.agents.run('doomed', { message: 'go', stream: true });
      const iterator = run[Symbol.asyncIterator]();
      await until(iterator, (e) => e.type === 'tool_call');
      // Let `sleep 30` get going in the shell, then kill the container under it.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const [container] = await containersOf(run.id);
      await docker.getContainer(container!.Id).kill();
      const result = await run.result();
      expect(result.status).toBe('failed');
      expect(result.error).toMatch(/container|sandbox/i);
      expect(result.toolCalls).toEqual([]);
      // The server goes on.
      expect((await h.rt.runtimes.list()).length).toBeGreaterThan(0);
    });

    it('a timeout during a long tool ends the run as timed_out', async () => {
      await deploy(
        h,
        'slow',
        [{ toolCalls: [{ name: 'bash', input: { command: 'sleep 60' } }] }, { text: 'x' }],
        {
          sandbox: 'docker',
          timeout: 3,
        },
      );
      const result = await h.rt.agents.run('slow', { message: 'go' });
      expect(result).toMatchObject({ status: 'timed_out', error: expect.stringMatching(/timeout of 3 s/) });
      expect(await containersAfterRemoval(result.id)).toEqual([]);
    });
  });
}

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { afterEach, expect, it } from 'vitest';
import { describeDocker } from '../helpers/docker.js';
import { collect, deploy } from '../helpers/runs.js';
import { type Harness, startHarness } from '../helpers/transports.js';

const docker = new Docker();
const SECRET = 'warm-secret-4c1d7e';

/** The label a server's containers carry, as createLocalEngine derives it from the data dir. */
const ownerOf = (dataDir: string) =>
  createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);

/** Containers of this server that no run has taken: its warm ones. */
async function warmContainers(h: Harness): Promise<Docker.ContainerInfo[]> {
  const all = await docker.listContainers({
    all: true,
    filters: { label: [`runtools.owner=${ownerOf(h.dataDir)}`] },
  });
  return all.filter((c) => c.Labels['runtools.run'] === undefined);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A run that prints its container's hostname (the container id's first 12 characters). */
const hostnameTurns = [
  {
    toolCalls: [
      { name: 'bash', input: { command: 'hostname; echo "token=$API_TOKEN"; echo made > made.txt' } },
    ],
  },
  { text: 'done' },
];

describeDocker('warm containers', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a run takes the warm container made after the one before, with its own folder, secrets and change events', async () => {
    h = await startHarness('in-process', {
      warm: { perKey: 1 },
      env: { API_TOKEN: SECRET },
    });
    await deploy(h, 'warm', hostnameTurns, { sandbox: 'docker', secrets: ['API_TOKEN'] });
    const first = await h.rt.agents.run('warm', { message: 'go' });
    expect(first.status).toBe('completed');
    // The first run (cold) leaves one warm container of its kind behind.
    const [warm] = await waitFor('a warm container', async () =>
      h!.engine.warmContainers() === 1 ? warmContainers(h!) : undefined,
    );
    expect(warm!.State).toBe('running');
    const harness = h;
    const second = await harness.rt.agents.run('warm', { message: 'go', stream: true });
    const events = await collect(second);
    const result = await harness.rt.runs.get(second.id);
    expect(result.status).toBe('completed');
    const output = result.toolCalls[0]!.output;
    // The run ran in the warm container...
    expect(output.split('\n')[0]).toBe(warm!.Id.slice(0, 12));
    // ...with the deployment's secret (redacted in the record), writing into its own managed folder.
    expect(output).toContain('token=[secret:API_TOKEN]');
    expect(JSON.stringify([events, result])).not.toContain(SECRET);
    const folder = path.join(harness.dataDir, 'workspaces', second.id);
    expect(readFileSync(path.join(folder, 'made.txt'), 'utf8')).toBe('made\n');
    expect(events.filter((e) => e.type === 'file_edit').map((e) => e.type === 'file_edit' && e.path)).toEqual(
      ['/workspace/made.txt'],
    );
    expect(result.files.map((f) => f.path)).toContain('/workspace/made.txt');
    expect(await second.files.read('/made.txt')).toBe('made\n');
    // The warm container's secret is not in its config: it was made before its run was known.
    const info = await docker
      .getContainer(warm!.Id)
      .inspect()
      .catch(() => undefined);
    expect(JSON.stringify(info?.Config.Env ?? [])).not.toContain(SECRET);
    // And a new warm one replaces it.
    await waitFor('a replacement', async () => {
      const found = await warmContainers(harness);
      return found.length === 1 && found[0]!.Id !== warm!.Id ? true : undefined;
    });
  }, 240_000);

  it('never gives one container to two runs, and leaves nothing behind when the server closes', async () => {
    h = await startHarness('in-process', { warm: { perKey: 2 } });
    await deploy(h, 'pair', hostnameTurns, { sandbox: 'docker', maxConcurrent: 4 });
    expect((await h.rt.agents.run('pair', { message: 'go' })).status).toBe('completed');
    await waitFor('two warm containers', async () => (h!.engine.warmContainers() === 2 ? true : undefined));
    const runs = await Promise.all([1, 2, 3].map(() => h!.rt.agents.run('pair', { message: 'go' })));
    const hosts = runs.map((r) => {
      expect(r.status).toBe('completed');
      return r.toolCalls[0]!.output.split('\n')[0];
    });
    expect(new Set(hosts).size).toBe(3);
    const dataDir = h.dataDir;
    await h.close();
    h = undefined;
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`runtools.owner=${ownerOf(dataDir)}`] },
    });
    // Runs' own containers go off the critical path after their end; warm ones are drained on close.
    expect(left.filter((c) => c.Labels['runtools.run'] === undefined)).toEqual([]);
    const spare = path.join(dataDir, 'workspaces', '.warm');
    expect(existsSync(spare) ? readdirSync(spare) : []).toEqual([]);
  }, 240_000);

  it('a run whose folder is not new (a registered workspace) is made cold the first time, warm from the second', async () => {
    h = await startHarness('in-process', { warm: { perKey: 1 } });
    const ws = await h.rt.workspaces.create({ id: 'shared' });
    await deploy(h, 'reg', hostnameTurns, { sandbox: 'docker' });
    const mounts = [{ workspaceId: 'shared', path: '/workspace' }];
    // Warm containers on the registered folder (the deployment's own kind, a fresh folder, is made ahead too).
    const onShared = async () =>
      (await warmContainers(h!)).filter((c) => c.Mounts.some((m) => m.Source === ws.path));
    expect((await h.rt.agents.run('reg', { message: 'go', mounts })).status).toBe('completed');
    // One run of a kind is not reason enough to keep one warm (an eval trial's own folder is used once).
    expect(await onShared()).toEqual([]);
    expect((await h.rt.agents.run('reg', { message: 'go', mounts })).status).toBe('completed');
    const [warm] = await waitFor('a warm container on the shared folder', async () => {
      const found = await onShared();
      return found.length === 1 && h!.engine.warmContainers() === 2 ? found : undefined;
    });
    const third = await h.rt.agents.run('reg', { message: 'go', mounts });
    expect(third.toolCalls[0]!.output.split('\n')[0]).toBe(warm!.Id.slice(0, 12));
    expect(readFileSync(path.join(ws.path, 'made.txt'), 'utf8')).toBe('made\n');
  }, 240_000);

  it('a deployment made through the API has a warm container before its first run, which takes it', async () => {
    h = await startHarness('http', { warm: { perKey: 1 } });
    // The image is built by a first deployment's run; a server at rest builds nothing.
    await deploy(h, 'builder', [{ text: 'hi' }], { sandbox: 'docker' });
    expect((await h.rt.agents.run('builder', { message: 'go' })).status).toBe('completed');
    await waitFor('the builder kind drained', async () =>
      h!.engine.warmContainers() === 1 ? true : undefined,
    );
    await deploy(h, 'fresh', hostnameTurns, { sandbox: 'docker', network: 'none' });
    const [warm] = await waitFor('a warm container of the new kind', async () =>
      h!.engine.warmContainers() === 2 ? warmContainers(h!) : undefined,
    );
    expect(warm).toBeDefined();
    const before = (await warmContainers(h)).map((c) => c.Id.slice(0, 12));
    const run = await h.rt.agents.run('fresh', { message: 'go' });
    expect(run.status).toBe('completed');
    expect(before).toContain(run.toolCalls[0]!.output.split('\n')[0]);
  }, 240_000);

  it('removes warm containers a server of the same data dir left behind', async () => {
    h = await startHarness('in-process', { warm: { perKey: 1 } });
    const image = (await docker.listImages({ filters: { reference: ['debian:bookworm-slim'] } }))[0];
    expect(image).toBeDefined();
    const stale = await docker.createContainer({
      Image: 'debian:bookworm-slim',
      Cmd: ['sleep', 'infinity'],
      Labels: { runtools: '1', 'runtools.owner': ownerOf(h.dataDir) },
    });
    await deploy(h, 'sweep', [{ text: 'hi' }], { sandbox: 'docker' });
    expect((await h.rt.agents.run('sweep', { message: 'go' })).status).toBe('completed');
    await expect(stale.inspect()).rejects.toMatchObject({ statusCode: 404 });
  }, 240_000);
});

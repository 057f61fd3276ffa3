import Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DockerSandboxFactory, removeRunContainers } from '../../src/sandbox/docker-factory.js';
import type { DockerSandbox } from '../../src/sandbox/docker-sandbox.js';
import { SandboxError } from '../../src/sandbox/errors.js';
import { executeTool } from '../../tools/registry.js';
import { describeDocker, tempWorkspace } from '../helpers/docker.js';
import {
  openSandbox,
  type SandboxFixture,
  shippedTemplates,
  specFor,
  toolContext,
} from '../helpers/sandboxes.js';

describeDocker('Docker sandbox', () => {
  let fx: SandboxFixture;
  const docker = new Docker();
  beforeAll(async () => {
    fx = await openSandbox('docker', {
      env: { API_TOKEN: 's3cret' },
      limits: { memoryMb: 256, cpus: 0.5, pids: 128 },
    });
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('runs hardened: the host user (or the workspace owner under root), no capabilities, no-new-privileges, limits, labels, only the mounts', async () => {
    const info = await (fx.sandbox as DockerSandbox).container.inspect();
    const { statSync } = await import('node:fs');
    const owner = statSync(fx.workspace);
    const uid = process.getuid?.() ?? 1000;
    expect(info.Config.User).toBe(uid === 0 ? `${owner.uid}:${owner.gid}` : `${uid}:${process.getgid?.()}`);
    expect(info.HostConfig.CapDrop).toEqual(['ALL']);
    expect(info.HostConfig.SecurityOpt).toEqual(['no-new-privileges']);
    expect(info.HostConfig.PidsLimit).toBe(128);
    expect(info.HostConfig.Memory).toBe(256 * 1024 * 1024);
    expect(info.HostConfig.NanoCpus).toBe(0.5e9);
    expect(info.HostConfig.Privileged).toBe(false);
    expect(info.Config.Labels).toMatchObject({
      runtools: '1',
      'runtools.run': expect.stringMatching(/^test-/),
    });
    expect(info.Mounts.map((m) => [m.Source, m.Destination, m.RW])).toEqual([
      [fx.workspace, '/workspace', true],
    ]);
    // The run's variables reach its commands, not the container's config (docker inspect).
    expect(info.Config.Env?.join('\n')).not.toContain('s3cret');
    expect((await fx.sandbox.exec('echo "$API_TOKEN"')).stdout).toBe('s3cret\n');
    const r = await fx.sandbox.exec(
      'id -u; grep CapEff /proc/self/status; grep NoNewPrivs /proc/self/status',
    );
    expect(r.stdout).toMatch(/^\d+\nCapEff:\s+0000000000000000\nNoNewPrivs:\s+1\n$/);
  });

  it('writes files into the bind mount owned by the workspace owner, and changes no owner', async () => {
    await fx.sandbox.exec('echo x > owned.txt');
    const { statSync } = await import('node:fs');
    const owner = statSync(`${fx.workspace}/owned.txt`).uid;
    expect(owner).toBe(statSync(fx.workspace).uid);
  });

  it('publishes template ports to loopback and reports the ones a dev server listens on', async () => {
    expect(await fx.sandbox.listeningPorts()).toEqual([]);
    const ctx = toolContext(fx.sandbox);
    const started = await executeTool(
      'bash',
      {
        command: `node -e "require('http').createServer((q,s)=>s.end('hi')).listen(3000)"`,
        run_in_background: true,
      },
      ctx,
    );
    expect(started.output).toContain('Started in the background');
    let ports = await fx.sandbox.listeningPorts();
    for (let i = 0; i < 50 && ports.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ports = await fx.sandbox.listeningPorts();
    }
    expect(ports).toEqual([{ port: 3000, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) }]);
    const response = await fetch(ports[0]!.url);
    expect(await response.text()).toBe('hi');
  });

  it('exec enforces its timeout inside the container and reports it', async () => {
    const started = Date.now();
    const r = await fx.sandbox.exec('echo start; sleep 30', { timeoutMs: 1000 });
    expect(r).toMatchObject({ stdout: 'start\n', timedOut: true, exitCode: 124 });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('with network none has no network and publishes nothing', async () => {
    const ws = tempWorkspace();
    const factory = new DockerSandboxFactory({ templates: shippedTemplates() });
    const sandbox = await factory.create(specFor(ws.dir, { network: 'none' }));
    try {
      const info = await (sandbox as DockerSandbox).container.inspect();
      expect(info.HostConfig.NetworkMode).toBe('none');
      expect(info.HostConfig.PortBindings).toEqual({});
      expect((await sandbox.exec('cat /proc/net/dev')).stdout).not.toMatch(/eth0/);
      expect(await sandbox.listeningPorts()).toEqual([]);
    } finally {
      await sandbox.dispose();
      ws.cleanup();
    }
  });

  it('a dead container is a SandboxError, not command output; dispose is safe twice', async () => {
    const ws = tempWorkspace();
    const factory = new DockerSandboxFactory({ templates: shippedTemplates() });
    const sandbox = await factory.create(specFor(ws.dir));
    await (sandbox as DockerSandbox).container.kill();
    await expect(sandbox.exec('echo hi')).rejects.toBeInstanceOf(SandboxError);
    const ctx = toolContext(sandbox);
    await expect(executeTool('grep', { pattern: 'x' }, ctx)).rejects.toBeInstanceOf(SandboxError);
    await expect(executeTool('bash', { command: 'echo hi' }, ctx)).rejects.toBeInstanceOf(SandboxError);
    await sandbox.dispose();
    await sandbox.dispose();
    ws.cleanup();
  });

  it('removeRunContainers removes the containers of the given runs by label', async () => {
    const ws = tempWorkspace();
    const factory = new DockerSandboxFactory({ templates: shippedTemplates() });
    const spec = specFor(ws.dir, { runId: `orphan-${Date.now()}` });
    await factory.create(spec);
    expect(await removeRunContainers(docker, [spec.runId])).toBe(1);
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`runtools.run=${spec.runId}`] },
    });
    expect(left).toEqual([]);
    ws.cleanup();
  });

  it('an unreachable engine says how to start Docker or use the local sandbox', async () => {
    const factory = new DockerSandboxFactory({
      templates: shippedTemplates(),
      docker: new Docker({ socketPath: '/nonexistent/docker.sock' }),
    });
    const error = await factory.create(specFor('/tmp')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxError);
    expect((error as Error).message).toMatch(
      /Docker engine is not reachable.*sudo dockerd.*npx runtools setup.*sandbox: 'local'.*--sandbox local/s,
    );
  });
});

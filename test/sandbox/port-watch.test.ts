import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DockerSandbox } from '../../src/sandbox/docker-sandbox.js';
import { parsePortLine } from '../../src/sandbox/port-watch.js';
import type { OpenPort } from '../../src/sandbox/types.js';
import { describeDocker } from '../helpers/docker.js';
import { openSandbox, type SandboxFixture } from '../helpers/sandboxes.js';

it('reads the watcher lines: hex ports, and an empty set', () => {
  expect(parsePortLine('ports 0BB8 1F90')).toEqual(new Set([3000, 8080]));
  expect(parsePortLine('ports')).toEqual(new Set());
  expect(parsePortLine('something else')).toEqual(new Set());
});

describeDocker('port watch in a Docker sandbox', () => {
  let fx: SandboxFixture;
  beforeAll(async () => {
    fx = await openSandbox('docker');
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('reports a template port when a server starts listening on it, from one exec for the container', async () => {
    const sandbox = fx.sandbox as DockerSandbox;
    const reports: OpenPort[][] = [];
    let opened: ((open: OpenPort[]) => void) | undefined;
    let reported: (() => void) | undefined;
    const seen = new Promise<OpenPort[]>((resolve) => {
      opened = resolve;
    });
    const first = new Promise<void>((resolve) => {
      reported = resolve;
    });
    const watch = sandbox.watchPorts((open) => {
      reports.push(open);
      reported?.();
      if (open.length > 0) opened?.(open);
    })!;
    expect(watch).toBeDefined();
    // The watcher's first look, before anything listens (on a busy machine it may start late).
    await first;
    await sandbox.exec(
      `nohup node -e "require('http').createServer((q,s)=>s.end('up')).listen(3000)" >/dev/null 2>&1 &`,
    );
    const open = await seen;
    expect(open).toEqual([{ port: 3000, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) }]);
    expect(await (await fetch(open[0]!.url)).text()).toBe('up');
    // Before the server, the watcher said nothing listens.
    expect(reports[0]).toEqual([]);
    watch.stop();
    await watch.ended;
    const left = await sandbox.exec('ps -eo args | grep -c "[/]proc/net/tcp" || true');
    expect(left.stdout.trim()).toBe('0');
  });
});

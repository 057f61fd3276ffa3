import { existsSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentRunData } from '../../src/api/types.js';
import { configTs, type Project, project, scriptJson, startDev } from './helpers.js';

let p: Project;
let stop: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
  p?.cleanup();
});

function setup(): Project {
  p = project({
    'runtools.config.ts': configTs([
      { slug: 'bot', script: './one.json', prompt: { file: './prompts/bot.md' } },
    ]),
    'prompts/bot.md': 'You are a test agent.\n',
    'one.json': scriptJson([{ text: 'answer from script one' }]),
    'two.json': scriptJson([{ text: 'answer from script two' }]),
    'slow.json': scriptJson([{ text: 'slow answer', delayMs: 2_500 }]),
  });
  return p;
}

describe('runtools dev with runtools.config.ts', () => {
  it('loads the config at start, and a prompt file edit makes a new version within a second, with its diff', async () => {
    setup();
    const { dev, url, stop: end } = await startDev(p);
    stop = end;
    expect(dev.stdout()).toMatch(/config loaded runtools\.config\.ts \(2 changes/);
    expect(dev.stdout()).toMatch(/\+ runtime bot created \(v1\)\n\s+\+ deployment bot created/);
    const mark = dev.stdout().length;
    writeFileSync(path.join(p.dir, 'prompts/bot.md'), 'You are a careful test agent.\n');
    await dev.waitFor(/config reloaded runtools\.config\.ts \(1 change[\s\S]*careful test agent/, {
      from: mark,
      timeoutMs: 5_000,
    });
    const output = dev.stdout().slice(mark);
    expect(output).toMatch(/~ runtime bot changed: v1 -> v2/);
    expect(output).toMatch(/- {2}You are a test agent\.\n\s+\+ {2}You are a careful test agent\./);

    const versions = await p.cli(['--base-url', url, 'runtimes', 'versions', 'bot']);
    expect(versions.stdout).toMatch(/v1 .* create .*\nv2 .* config /);
  });

  it('a config change applies to the next run without a restart; a run in progress keeps its version', async () => {
    setup();
    const { dev, url, stop: end } = await startDev(p);
    stop = end;
    const first = await p.cli(['--base-url', url, 'run', 'bot', 'hi']);
    expect(first.stdout).toContain('answer from script one');

    // A slow run starts on v2, then the config moves to v3 while it runs.
    writeFileSync(
      path.join(p.dir, 'runtools.config.ts'),
      configTs([{ slug: 'bot', script: './slow.json', prompt: { file: './prompts/bot.md' } }]),
    );
    await dev.waitFor(/runtime bot changed: v1 -> v2/);
    const slow = p.spawn(['--base-url', url, 'run', 'bot', 'take your time']);
    await slow.waitFor(/▶ bot · run (run-\S+)/, { stream: 'stderr' });
    const mark = dev.stdout().length;
    writeFileSync(
      path.join(p.dir, 'runtools.config.ts'),
      configTs([{ slug: 'bot', script: './two.json', prompt: { file: './prompts/bot.md' } }]),
    );
    await dev.waitFor(/runtime bot changed: v2 -> v3/, { from: mark });
    const slowResult = await slow.exited;
    expect(slowResult.stdout).toMatch(/slow answer[\s\S]*✔ completed/);

    const next = await p.cli(['--base-url', url, 'run', 'bot', 'hi again']);
    expect(next.stdout).toContain('answer from script two');
    const runs = JSON.parse(
      (await p.cli(['--base-url', url, 'runs', 'list', '--json'])).stdout,
    ) as AgentRunData[];
    expect(runs.map((r) => [r.output, r.runtimeVersion])).toEqual([
      ['answer from script two', 3],
      ['slow answer', 2],
      ['answer from script one', 1],
    ]);
    expect(dev.proc.exitCode).toBeNull();
  });

  it('an invalid edit keeps the last good config running and says why', async () => {
    setup();
    const { dev, url, stop: end } = await startDev(p);
    stop = end;
    const mark = dev.stdout().length;
    writeFileSync(
      path.join(p.dir, 'runtools.config.ts'),
      configTs([
        {
          slug: 'bot',
          script: './two.json',
          prompt: { file: './prompts/missing.md' },
          tools: ['bash', 'gmial'],
        },
      ]),
    );
    await dev.waitFor(/the last good config stays in force/, { from: mark });
    const output = dev.stdout().slice(mark);
    expect(output).toMatch(/config error: runtools\.config\.ts is not valid:/);
    expect(output).toMatch(/runtimes\[0\]\.tools\[1\]: unknown tool "gmial"; valid tools are/);
    // Still the last good config: script one.
    const run = await p.cli(['--base-url', url, 'run', 'bot', 'hi']);
    expect(run.stdout).toContain('answer from script one');

    // Fixing the file applies it; the now-missing prompt file is watched too, so creating it reloads.
    writeFileSync(
      path.join(p.dir, 'runtools.config.ts'),
      configTs([{ slug: 'bot', script: './two.json', prompt: { file: './prompts/missing.md' } }]),
    );
    await dev.waitFor(/prompts\/missing\.md" does not exist/, { from: mark });
    const fixed = dev.stdout().length;
    // prompts/ is watched already (bot.md is there), so the new file is seen with no pause first.
    writeFileSync(path.join(p.dir, 'prompts/missing.md'), 'Found.\n');
    await dev.waitFor(/runtime bot changed: v1 -> v2/, { from: fixed });
    expect((await p.cli(['--base-url', url, 'run', 'bot', 'hi'])).stdout).toContain('answer from script two');
  });

  it('a runtime created through the API is not overwritten by the config: the clash is reported', async () => {
    setup();
    const { dev, url, stop: end } = await startDev(p);
    stop = end;
    writeFileSync(path.join(p.dir, 'api.json'), scriptJson([{ text: 'api' }]));
    const mark = dev.stdout().length;
    // Make an API runtime with the slug the config is about to use.
    const key = (await import('node:fs')).readFileSync(path.join(p.dataDir, 'api-key'), 'utf8').trim();
    const response = await fetch(`${url}/v1/runtimes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        slug: 'other',
        model: { provider: 'scripted', script: './api.json' },
        systemPrompt: 'api prompt',
      }),
    });
    expect(response.status).toBe(201);
    writeFileSync(
      path.join(p.dir, 'runtools.config.ts'),
      configTs([
        { slug: 'bot', script: './one.json', prompt: { file: './prompts/bot.md' } },
        { slug: 'other', script: './one.json' },
      ]),
    );
    await dev.waitFor(/clash: runtime "other" was created through the API/, { from: mark });
    const runtimes = await p.cli(['--base-url', url, 'runtimes', 'list']);
    expect(runtimes.stdout).toMatch(/other {2}v1 {2}scripted \.\/api\.json/);
  });
});

describe('runtools dev on a port in use', () => {
  it('says the port is taken and how to go on, and leaves no engine lock behind', async () => {
    setup();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = blocker.address() as AddressInfo;
      const result = await p.cli(['dev', '--port', String(port)]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use .*pick another with --port`),
      );
      expect(existsSync(path.join(p.dataDir, 'engine.lock'))).toBe(false);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

/** A port free a moment ago (runtools dev must be told its port before it opens it). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** One JSON request; `refused` when nothing listens on the port yet. */
function call(
  port: number,
  method: string,
  pathname: string,
  key: string,
  body?: unknown,
): Promise<{ status: number; json: unknown } | 'refused'> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: pathname,
        agent: false,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' ? resolve('refused') : reject(error),
    );
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('runtools dev answers a request sent the moment its port opens', () => {
  it('holds it until the API works, then answers it as it would any other (no refusal, no 503)', async () => {
    setup();
    const port = await freePort();
    const key = 'rt_local_early-request-test-key';
    const dev = p.spawn(['dev', '--port', String(port), '--warm', '0'], { env: { RUNTOOLS_API_KEY: key } });
    stop = async () => {
      dev.proc.kill('SIGTERM');
      await dev.exited;
    };
    // The first request that connects carries a body; it must reach the engine whole.
    const body = { slug: 'early', model: { provider: 'scripted', script: './one.json' } };
    let created = await call(port, 'POST', '/v1/runtimes', key, body);
    while (created === 'refused') {
      if (dev.proc.exitCode !== null) throw new Error(`runtools dev exited: ${dev.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      created = await call(port, 'POST', '/v1/runtimes', key, body);
    }
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ slug: 'early' });
    const listed = await call(port, 'GET', '/v1/runtimes', key);
    expect(listed).toMatchObject({ status: 200 });
    const slugs = ((listed as { json: { data: { slug: string }[] } }).json.data ?? []).map((r) => r.slug);
    expect(slugs).toContain('early');
  });
});

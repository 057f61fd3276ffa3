import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';

// Both packages as a user gets them: `npm pack` tarballs installed into a project outside this
// repo; their dependencies come from the registry npm ci used (npm's cache first).

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '../..');
const npm = (args: string[], cwd: string) =>
  run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, timeout: 240_000 });

interface PackedFile {
  path: string;
}
async function packList(workspace?: string): Promise<string[]> {
  const { stdout } = await npm(
    ['pack', '--dry-run', '--json', '--ignore-scripts', ...(workspace ? ['-w', workspace] : [])],
    REPO,
  );
  return (JSON.parse(stdout) as { files: PackedFile[] }[])[0]!.files.map((f) => f.path);
}

/** Installed packages under node_modules (scoped ones counted one by one), and their bytes. */
function installed(dir: string): { count: number; bytes: number } {
  let count = 0;
  const countIn = (modules: string) => {
    for (const name of readdirSync(modules)) {
      if (name.startsWith('.')) continue;
      if (name.startsWith('@')) countIn(path.join(modules, name));
      else count++;
    }
  };
  countIn(path.join(dir, 'node_modules'));
  const bytesIn = (p: string): number => {
    const s = statSync(p, { throwIfNoEntry: false });
    if (!s || s.isSymbolicLink()) return 0;
    return s.isDirectory() ? readdirSync(p).reduce((sum, n) => sum + bytesIn(path.join(p, n)), 0) : s.size;
  };
  return { count, bytes: bytesIn(path.join(dir, 'node_modules')) };
}

describe('the packages, packed', () => {
  it('ship what they need and nothing else: no tests, every map beside its source, a LICENSE', async () => {
    for (const [workspace, files] of [
      ['packages/sdk', await packList('packages/sdk')],
      ['runtools', await packList()],
    ] as const) {
      expect(files, workspace).toContain('LICENSE');
      expect(files, workspace).toContain('package.json');
      expect(
        files.filter((f) => /(^|\/)test\/|\.test\.|fakes\//.test(f)),
        workspace,
      ).toEqual([]);
      expect(
        files.some((f) => f.endsWith('.d.ts.map')),
        `${workspace} has declaration maps`,
      ).toBe(true);
      for (const map of files.filter((f) => f.endsWith('.map'))) {
        const { sources } = JSON.parse(
          readFileSync(path.join(REPO, workspace === 'runtools' ? '' : workspace, map), 'utf8'),
        ) as { sources: string[] };
        for (const source of sources) {
          const shipped = path.posix.normalize(path.posix.join(path.posix.dirname(map), source));
          expect(files, `${workspace}: ${map} points at ${shipped}`).toContain(shipped);
        }
      }
    }
    const sdk = await packList('packages/sdk');
    expect(sdk.filter((f) => f.endsWith('.js')).every((f) => f.startsWith('dist/'))).toBe(true);
  }, 120_000);

  it('declare semver ranges for what they depend on; the SDK depends on nothing', () => {
    const root = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const [name, range] of Object.entries(root.dependencies)) expect(range, name).toMatch(/^\^\d/);
    const sdk = JSON.parse(readFileSync(path.join(REPO, 'packages/sdk/package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    expect(sdk.dependencies ?? {}).toEqual({});
  });
});

describe('a user project that installs them', () => {
  const tmp = tempDir('runtools-install-');
  const app = path.join(tmp.dir, 'app');
  let sdkTarball = '';
  let toolTarball = '';
  let dev: ChildProcess | undefined;

  beforeAll(async () => {
    const out = path.join(tmp.dir, 'packs');
    mkdirSync(out);
    await npm(['pack', '--ignore-scripts', '--pack-destination', out, '-w', 'packages/sdk'], REPO);
    await npm(['pack', '--ignore-scripts', '--pack-destination', out], REPO);
    const packs = readdirSync(out);
    sdkTarball = path.join(out, packs.find((f) => f.startsWith('runtools-sdk-'))!);
    toolTarball = path.join(out, packs.find((f) => /^runtools-\d/.test(f))!);
    mkdirSync(app);
    writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'user-app', version: '1.0.0', private: true, type: 'module' }),
    );
  }, 240_000);
  afterAll(() => {
    dev?.kill('SIGKILL');
    tmp.cleanup();
  });

  it('with @runtools/sdk alone gets one package of a few hundred KB, and the docs snippets type-check', async () => {
    await npm(['install', '--prefer-offline', sdkTarball], app);
    const alone = installed(app);
    expect(alone.count).toBe(1);
    expect(alone.bytes).toBeLessThan(400_000);
    console.info(
      `@runtools/sdk alone: ${alone.count} package, ${(alone.bytes / 1024).toFixed(0)} KiB installed`,
    );

    await npm(['install', '--prefer-offline', '-D', 'typescript@5.9.3', '@types/node@20.19.25'], app);
    cpSync(path.join(REPO, 'examples'), path.join(app, 'src'), { recursive: true });
    writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          types: ['node'],
        },
        include: ['src'],
      }),
    );
    const tsc = await run(process.execPath, [path.join(app, 'node_modules/typescript/bin/tsc'), '-p', app], {
      cwd: app,
    }).catch((error: { stdout: string }) => ({ stdout: error.stdout, failed: true }));
    expect(tsc.stdout).toBe('');
  }, 300_000);

  it('adding runtools gives the CLI, a typed runtools/config, and a server the SDK code talks to', async () => {
    await npm(['install', '--prefer-offline', '--ignore-scripts', toolTarball], app);
    // The one native module: no prebuilt binary is reachable offline, so take the one npm ci built.
    const native = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    mkdirSync(path.dirname(path.join(app, native)), { recursive: true });
    copyFileSync(path.join(REPO, native), path.join(app, native));
    const all = installed(app);
    console.info(
      `with runtools: ${all.count} packages, ${(all.bytes / 1024 / 1024).toFixed(1)} MiB installed`,
    );

    writeFileSync(path.join(app, 'prompt.md'), 'You are a test agent.\n');
    writeFileSync(
      path.join(app, 'hello.json'),
      JSON.stringify({
        turns: [{ toolCalls: [{ name: 'bash', input: { command: 'echo hi' } }] }, { text: 'Done.' }],
      }),
    );
    writeFileSync(
      path.join(app, 'runtools.config.ts'),
      `import { defineConfig } from 'runtools/config';

export default defineConfig({
  runtimes: [{ slug: 'hello', systemPrompt: { file: './prompt.md' }, model: { provider: 'scripted', script: './hello.json' }, tools: ['bash'] }],
  deployments: [{ apiSlug: 'hello', runtimeSlug: 'hello', templateSlug: 'base', sandbox: 'local' }],
});
`,
    );
    writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          types: ['node'],
        },
        include: ['runtools.config.ts'],
      }),
    );
    const tsc = await run(process.execPath, [path.join(app, 'node_modules/typescript/bin/tsc'), '-p', app], {
      cwd: app,
    }).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    expect(tsc.stdout).toBe('');

    dev = spawn(path.join(app, 'node_modules/.bin/runtools'), ['dev', '--port', '0'], {
      cwd: app,
      env: { ...process.env, NO_COLOR: '1', RUNTOOLS_API_KEY: 'user-key' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`runtools dev did not start:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      dev!.stdout!.on('data', onData);
      dev!.stderr!.on('data', onData);
      dev!.on('exit', () => reject(new Error(`runtools dev exited:\n${output}`)));
    });
    writeFileSync(
      path.join(app, 'client.mjs'),
      `import { RunTools, RunToolsError } from '@runtools/sdk';
const rt = new RunTools();
const run = await rt.agents.run('hello', { message: 'say hi' });
console.log(run.status, run.output, run.toolCalls[0].output.trim());
try { await rt.runtimes.get('nope'); } catch (e) { console.log(e instanceof RunToolsError, e.status); }
`,
    );
    const client = await run(process.execPath, ['client.mjs'], {
      cwd: app,
      env: { ...process.env, RUNTOOLS_BASE_URL: url, RUNTOOLS_API_KEY: 'user-key' },
    });
    expect(client.stdout).toBe('completed Done. hi\ntrue 404\n');
  }, 300_000);
});

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { type SyncNote, syncConfig } from '../../src/config/sync.js';
import { createLocalEngine } from '../../src/engine/create.js';
import type { Engine } from '../../src/engine/engine.js';
import { tempDir } from '../helpers/tmp.js';

let dir: string;
let cleanup: () => void;
let engine: Engine;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir('runtools-sync-'));
  engine = await createLocalEngine({ dataDir: path.join(dir, '.runtools'), projectDir: dir });
});
afterEach(async () => {
  await engine.close();
  cleanup();
});

const file = () => path.join(dir, 'runtools.config.ts');

/** Writes the config and the prompt file, loads and syncs; returns the notes. */
async function sync(
  options: {
    prompt?: string;
    tools?: string;
    maxConcurrent?: number;
    sandbox?: string;
    extraRuntime?: boolean;
  } = {},
): Promise<SyncNote[]> {
  writeFileSync(path.join(dir, 'code.md'), options.prompt ?? 'You write code.\n');
  writeFileSync(
    file(),
    `import { defineConfig } from 'runtools/config';
export default defineConfig({
  ${options.sandbox ? `sandbox: '${options.sandbox}',` : ''}
  runtimes: [
    { slug: 'coder', model: 'claude-opus-4-5', systemPrompt: { file: './code.md' }, tools: ${options.tools ?? "['bash']"} },
    ${options.extraRuntime === false ? '' : "{ slug: 'helper', model: 'gpt-5.2' },"}
  ],
  deployments: [{ apiSlug: 'coder-bot', runtimeSlug: 'coder', templateSlug: 'base', maxConcurrent: ${options.maxConcurrent ?? 2} }],
  workspaces: [{ id: 'here', path: '.' }],
});
`,
  );
  return syncConfig(engine, await loadConfig(file()), { defaultSandbox: 'local' });
}

describe('syncing the config into the store', () => {
  it('creates runtimes, deployments and workspaces as config rows', async () => {
    const notes = await sync();
    expect(notes.map((n) => `${n.kind} ${'what' in n ? n.what : ''} ${n.slug}`)).toEqual([
      'created runtime coder',
      'created runtime helper',
      'created workspace here',
      'created deployment coder-bot',
    ]);
    const runtime = await engine.runtimes.get('coder');
    expect(runtime).toMatchObject({
      source: 'config',
      version: 1,
      systemPrompt: 'You write code.\n',
      tools: ['bash'],
    });
    expect(await engine.deployments.get('coder-bot')).toMatchObject({
      source: 'config',
      sandbox: 'local',
      maxConcurrent: 2,
    });
    expect((await engine.workspaces.get('here')).path).toBe(dir);
  });

  it('a second sync of the same config changes nothing', async () => {
    await sync();
    expect(await sync()).toEqual([]);
    expect((await engine.runtimes.versions('coder')).map((v) => v.version)).toEqual([1]);
  });

  it('a changed prompt file makes a new version with reason "config", and only for that runtime', async () => {
    await sync();
    const notes = await sync({ prompt: 'You write careful code.\n' });
    expect(notes).toEqual([
      expect.objectContaining({
        kind: 'versioned',
        slug: 'coder',
        from: expect.objectContaining({ version: 1 }),
        to: expect.objectContaining({ version: 2, reason: 'config' }),
      }),
    ]);
    expect((await engine.runtimes.version('coder', 2)).systemPrompt).toBe('You write careful code.\n');
    expect((await engine.runtimes.versions('helper')).length).toBe(1);
  });

  it('a changed deployment is updated in place and says which fields changed', async () => {
    await sync();
    const notes = await sync({ maxConcurrent: 7 });
    expect(notes).toEqual([
      { kind: 'updated', what: 'deployment', slug: 'coder-bot', fields: ['maxConcurrent'] },
    ]);
    expect((await engine.deployments.get('coder-bot')).maxConcurrent).toBe(7);
  });

  it('a runtime created through the API is left alone and the clash is reported', async () => {
    await engine.runtimes.create({ slug: 'coder', model: 'gpt-5.2', systemPrompt: 'mine' });
    const notes = await sync();
    const clash = notes.find((n) => n.kind === 'clash');
    expect(clash).toMatchObject({
      what: 'runtime',
      slug: 'coder',
      message: expect.stringMatching(/created through the API .* not applied\. Delete the API one/),
    });
    const runtime = await engine.runtimes.get('coder');
    expect(runtime).toMatchObject({ source: 'api', systemPrompt: 'mine', model: 'gpt-5.2', version: 1 });
    // The rest of the config still goes in.
    expect(await engine.runtimes.get('helper')).toMatchObject({ source: 'config' });
  });

  it('a deployment created through the API is left alone and the clash names the differing fields', async () => {
    await sync();
    await engine.deployments.delete('coder-bot');
    await engine.deployments.create({
      apiSlug: 'coder-bot',
      runtimeSlug: 'helper',
      templateSlug: 'base',
      sandbox: 'local',
    });
    const notes = await sync();
    expect(notes).toEqual([
      expect.objectContaining({
        kind: 'clash',
        what: 'deployment',
        slug: 'coder-bot',
        message: expect.stringMatching(/\(runtimeSlug, maxConcurrent\)/),
      }),
    ]);
    expect((await engine.deployments.get('coder-bot')).runtimeSlug).toBe('helper');
  });

  it('an entry the engine refuses is reported and the others still apply', async () => {
    writeFileSync(
      file(),
      `export default {
  runtimes: [{ slug: 'ok', model: 'gpt-5.2' }],
  deployments: [
    { apiSlug: 'needs-secret', runtimeSlug: 'ok', templateSlug: 'base', secrets: ['RUNTOOLS_TEST_UNSET_SECRET'] },
    { apiSlug: 'fine', runtimeSlug: 'ok', templateSlug: 'base' },
  ],
};
`,
    );
    const notes = syncConfig(engine, await loadConfig(file()), { defaultSandbox: 'docker' });
    expect(notes).toContainEqual({
      kind: 'failed',
      what: 'deployment',
      slug: 'needs-secret',
      message: expect.stringMatching(
        /RUNTOOLS_TEST_UNSET_SECRET not set; export it .* or add to the \.env file/,
      ),
    });
    expect(await engine.deployments.get('fine')).toMatchObject({ sandbox: 'docker', source: 'config' });
  });

  it('the config sandbox applies to deployments that do not choose one, and a runtime dropped from the config is kept and reported once', async () => {
    await sync();
    const first = await loadConfig(file());
    await sync({ extraRuntime: false });
    const notes = syncConfig(engine, await loadConfig(file()), { defaultSandbox: 'local', previous: first });
    expect(notes).toEqual([
      expect.objectContaining({
        kind: 'not_in_config',
        what: 'runtime',
        slug: 'helper',
        message: expect.stringMatching(/no longer in the config; it is kept/),
      }),
    ]);
    expect(await engine.runtimes.get('helper')).toBeTruthy();
    const second = await loadConfig(file());
    expect(syncConfig(engine, second, { defaultSandbox: 'local', previous: second })).toEqual([]);
    expect(engine.settings.defaultSandbox).toBe('local');
  });
});

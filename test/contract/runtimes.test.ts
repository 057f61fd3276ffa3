import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILTIN_TOOLS } from '../../src/api/types.js';
import { expectApiError } from '../helpers/errors.js';
import { type Harness, startHarness, TRANSPORTS } from '../helpers/transports.js';

describe.each(TRANSPORTS)('runtimes over %s', (transport) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(transport);
  });
  afterEach(() => h.close());

  const create = (slug = 'code-assistant') =>
    h.rt.runtimes.create({
      slug,
      name: 'Code Assistant',
      systemPrompt: 'You are an expert software engineer.',
      model: 'claude-opus-4-5',
      tools: ['bash', 'read_file', 'edit_file', 'grep', 'glob', 'web_search'],
    });

  it('creates a runtime exactly as the docs show, as version 1', async () => {
    const runtime = await create();
    expect(runtime).toMatchObject({
      slug: 'code-assistant',
      name: 'Code Assistant',
      model: 'claude-opus-4-5',
      tools: [...BUILTIN_TOOLS],
      version: 1,
      hasUnversionedChanges: false,
      source: 'api',
    });
    expect(await h.rt.runtimes.list()).toHaveLength(1);
    expect((await h.rt.runtimes.get('code-assistant')).systemPrompt).toBe(
      'You are an expert software engineer.',
    );
  });

  it('accepts each documented model form', async () => {
    for (const [slug, model] of [
      ['a', 'gpt-5.2'],
      ['b', 'gemini-3-pro'],
      ['c', 'o3'],
      [
        'd',
        {
          provider: 'custom',
          endpoint: 'https://my-model.example.com/v1/chat',
          apiKey: 'k-123',
          format: 'openai',
        },
      ],
      ['e', { provider: 'scripted', script: './demo.json' }],
    ] as const) {
      const runtime = await h.rt.runtimes.create({ slug, model, tools: [] });
      expect(runtime.model).toEqual(
        typeof model === 'object' && 'apiKey' in model ? { ...model, apiKey: '[redacted]' } : model,
      );
    }
  });

  it('update changes the current config; createVersion snapshots it; versions lists them in order', async () => {
    const runtime = await create();
    await runtime.update({ systemPrompt: 'Updated prompt...', tools: ['bash', 'read_file', 'edit_file'] });
    expect(runtime.systemPrompt).toBe('Updated prompt...');
    expect(runtime.hasUnversionedChanges).toBe(true);
    const v2 = await runtime.createVersion();
    expect(v2).toMatchObject({ version: 2, systemPrompt: 'Updated prompt...', reason: 'createVersion' });
    expect(runtime.version).toBe(2);
    const versions = await runtime.versions();
    expect(versions.map((v) => [v.version, v.systemPrompt])).toEqual([
      [1, 'You are an expert software engineer.'],
      [2, 'Updated prompt...'],
    ]);
    expect(Date.parse(versions[0]!.createdAt)).not.toBeNaN();
  });

  it('rollback makes an old version current and records it as a new version', async () => {
    const runtime = await create();
    await runtime.update({ systemPrompt: 'second' });
    await runtime.createVersion();
    await runtime.update({ systemPrompt: 'third' });
    await runtime.createVersion();
    await runtime.rollback({ version: 2 });
    expect(runtime.systemPrompt).toBe('second');
    expect(runtime.version).toBe(4);
    const versions = await runtime.versions();
    expect(versions.map((v) => `${v.version}:${v.systemPrompt}:${v.reason}`)).toEqual([
      '1:You are an expert software engineer.:create',
      '2:second:createVersion',
      '3:third:createVersion',
      '4:second:rollback to 2',
    ]);
    await expectApiError(runtime.rollback({ version: 9 }), 404, /no version 9; its versions are 1 to 4/);
  });

  it('delete removes the runtime and its versions', async () => {
    const runtime = await create();
    await runtime.delete();
    await expectApiError(h.rt.runtimes.get('code-assistant'), 404, /runtime "code-assistant" not found/);
  });

  it('rejects an unknown tool with a 400 that lists the valid ones', async () => {
    await expectApiError(
      h.rt.runtimes.create({ slug: 'x', model: 'claude-opus-4-5', tools: ['bash', 'gmial'] }),
      400,
      /tools\.1: unknown tool "gmial"; valid tools are bash, read_file, edit_file, grep, glob, web_search/,
    );
  });

  it('rejects bad slugs, unknown model names, unknown fields and duplicates', async () => {
    await expectApiError(
      h.rt.runtimes.create({ slug: 'Bad_Slug', model: 'gpt-5.2' }),
      400,
      /slug: use lowercase letters/,
    );
    await expectApiError(
      h.rt.runtimes.create({ slug: 'm', model: 'llama-3' }),
      400,
      /unknown model "llama-3"/,
    );
    await expectApiError(
      h.rt.runtimes.create({ slug: 'm', model: 'gpt-5.2', colour: 'red' } as never),
      400,
      /unknown field "colour"; remove it/,
    );
    await expectApiError(
      h.rt.runtimes.create({
        slug: 'm',
        model: { provider: 'custom', endpoint: 'ftp://x', format: 'openai' },
      }),
      400,
      /endpoint must be an http/,
    );
    await create();
    await expectApiError(create(), 409, /runtime "code-assistant" already exists/);
  });

  it('keeps a custom endpoint key out of responses but uses it', async () => {
    const runtime = await h.rt.runtimes.create({
      slug: 'custom',
      model: {
        provider: 'custom',
        endpoint: 'http://localhost:11434/v1',
        apiKey: 'sk-secret',
        format: 'openai',
      },
    });
    expect(JSON.stringify(runtime)).not.toContain('sk-secret');
    expect(JSON.stringify(await runtime.versions())).not.toContain('sk-secret');
    await runtime.update({
      model: { ...(runtime.model as object), endpoint: 'http://localhost:8080/v1' } as never,
    });
    expect(h.engine.runtimeService.config('custom').model).toMatchObject({
      apiKey: 'sk-secret',
      endpoint: 'http://localhost:8080/v1',
    });
  });
});

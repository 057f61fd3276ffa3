import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeServer, startFakeOpenAI } from '../fakes/openai.js';
import { expectApiError } from '../helpers/errors.js';
import { type Harness, startHarness, TRANSPORTS } from '../helpers/transports.js';

describe.each(TRANSPORTS)('run-level overrides over %s', (transport) => {
  let h: Harness;
  let fake: FakeServer;
  beforeEach(async () => {
    h = await startHarness(transport);
    fake = await startFakeOpenAI();
    await h.rt.runtimes.create({
      slug: 'prompted',
      systemPrompt: 'You are the saved prompt.',
      model: { provider: 'custom', endpoint: fake.baseURL, apiKey: 'k', format: 'openai', model: 'm' },
      tools: [],
    });
    await h.rt.deployments.create({
      runtimeSlug: 'prompted',
      apiSlug: 'prompted',
      templateSlug: 'base',
      sandbox: 'local',
    });
  });
  afterEach(async () => {
    await h.close();
    await fake.close();
  });

  const systemOf = (i: number): unknown =>
    (fake.requests[i]!.body.messages as { role: string; content: unknown }[]).find((m) => m.role === 'system')
      ?.content;

  it('a draft systemPrompt reaches the model for that run only, is recorded, and makes no version', async () => {
    fake.push({ text: 'draft answer' }, { text: 'saved answer' });
    const draft = await h.rt.agents.run('prompted', { message: 'hi', systemPrompt: 'You are the draft.' });
    expect(draft).toMatchObject({ status: 'completed', output: 'draft answer', runtimeVersion: 1 });
    expect(draft.input.systemPrompt).toBe('You are the draft.');
    expect(systemOf(0)).toBe('You are the draft.');

    const saved = await h.rt.agents.run('prompted', { message: 'hi' });
    expect(saved.input.systemPrompt).toBeUndefined();
    expect(systemOf(1)).toBe('You are the saved prompt.');
    expect((await h.api.runtimes.versions('prompted')).map((v) => v.version)).toEqual([1]);
  });

  it('an empty draft systemPrompt is refused with the fix', async () => {
    await expectApiError(
      h.rt.agents.run('prompted', { message: 'hi', systemPrompt: '' }),
      400,
      /systemPrompt must not be empty/,
    );
  });
});

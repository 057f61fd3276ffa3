import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSearxng } from '../fakes/searxng.js';
import { deploy } from '../helpers/runs.js';
import { type Harness, startHarness } from '../helpers/transports.js';

describe('web_search in a run', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness('in-process');
  });
  afterEach(() => h.close());

  const searching = [
    { toolCalls: [{ name: 'web_search', input: { query: 'runtools sse resume' } }] },
    { text: 'searched' },
  ];

  it('without a provider the model reads why and what to configure, and the run goes on', async () => {
    await deploy(h, 'bot', searching, { tools: ['web_search'] });
    const result = await h.rt.agents.run('bot', { message: 'look it up' });
    expect(result.status).toBe('completed');
    expect(result.toolCalls[0]).toMatchObject({
      isError: true,
      output: expect.stringMatching(/web_search unavailable: set webSearch in runtools\.config\.ts/),
    });
  });

  it('runs on the host through the configured provider, settings applied without a restart', async () => {
    const searx = await startFakeSearxng([
      {
        title: 'Server-sent events',
        url: 'https://example.org/sse',
        content: 'Last-Event-ID resumes a stream.',
      },
    ]);
    try {
      h.engine.applySettings({ webSearch: { provider: 'searxng', url: searx.url } });
      await deploy(h, 'bot', searching, { tools: ['web_search'] });
      const result = await h.rt.agents.run('bot', { message: 'look it up' });
      expect(searx.queries).toEqual(['runtools sse resume']);
      expect(result.toolCalls[0]).toMatchObject({
        isError: false,
        output: expect.stringMatching(/Server-sent events[\s\S]*https:\/\/example\.org\/sse/),
      });
    } finally {
      await searx.close();
    }
  });
});

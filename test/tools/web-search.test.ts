import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSandbox } from '../../src/sandbox/local-sandbox.js';
import { executeTool } from '../../tools/registry.js';
import { type FakeSearxng, startFakeSearxng } from '../fakes/searxng.js';
import { toolContext } from '../helpers/sandboxes.js';

describe('web_search', () => {
  let searx: FakeSearxng;
  const sandbox = new LocalSandbox([{ hostPath: '/tmp', containerPath: '/workspace', readOnly: true }]);
  beforeAll(async () => {
    searx = await startFakeSearxng([
      {
        title: 'Vite docs',
        url: 'https://vite.dev/guide/',
        content: 'Next generation  frontend tooling',
        publishedDate: '2025-01-02',
      },
      { title: 'Spam', url: 'https://spam.example.com/x', content: 'buy now' },
      { title: 'Vite on GitHub', url: 'https://github.com/vitejs/vite', content: 'Source code' },
    ]);
  });
  afterAll(async () => {
    await searx.close();
  });
  const ctxWith = (webSearch?: {
    provider: 'searxng' | 'brave' | 'tavily';
    url?: string;
    apiKeyEnv?: string;
  }) => toolContext(sandbox, { settings: { env: {}, ...(webSearch ? { webSearch } : {}) } });

  it('without a provider fails at once with what to configure and not to retry', async () => {
    expect(await executeTool('web_search', { query: 'vite' }, ctxWith())).toEqual({
      isError: true,
      output: expect.stringMatching(
        /^web_search unavailable: .*set webSearch in runtools\.config\.ts.*do not retry$/,
      ),
    });
  });

  it('numbers results from a SearXNG endpoint with title, URL, date and snippet', async () => {
    const result = await executeTool(
      'web_search',
      { query: 'vite config', max_results: 2 },
      ctxWith({ provider: 'searxng', url: searx.url }),
    );
    expect(searx.queries.at(-1)).toBe('vite config');
    expect(result.output).toBe(
      'Web results for "vite config":\n\n1. Vite docs\n   https://vite.dev/guide/ (2025-01-02)\n   Next generation frontend tooling\n\n2. Spam\n   https://spam.example.com/x\n   buy now',
    );
  });

  it('filters by allowed or blocked domains, not both', async () => {
    const ctx = ctxWith({ provider: 'searxng', url: searx.url });
    expect(
      (await executeTool('web_search', { query: 'v', allowed_domains: ['github.com'] }, ctx)).output,
    ).toContain('1. Vite on GitHub');
    const blocked = await executeTool('web_search', { query: 'v', blocked_domains: ['example.com'] }, ctx);
    expect(blocked.output).not.toContain('spam');
    expect(
      await executeTool(
        'web_search',
        { query: 'v', allowed_domains: ['a.com'], blocked_domains: ['b.com'] },
        ctx,
      ),
    ).toMatchObject({ isError: true });
  });

  it('names the missing key variable of a hosted provider, and reports rate limits', async () => {
    expect(
      await executeTool(
        'web_search',
        { query: 'v' },
        ctxWith({ provider: 'brave', apiKeyEnv: 'MY_BRAVE_KEY' }),
      ),
    ).toMatchObject({
      isError: true,
      output: expect.stringContaining('set the environment variable MY_BRAVE_KEY'),
    });
    const limited = await startFakeSearxng([], { status: 429 });
    expect(
      await executeTool('web_search', { query: 'v' }, ctxWith({ provider: 'searxng', url: limited.url })),
    ).toMatchObject({
      isError: true,
      output: expect.stringContaining('too_many_requests'),
    });
    await limited.close();
  });
});

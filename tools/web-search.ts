import { z } from 'zod';
import type { Tool, ToolResult, WebSearchSettings } from './types.js';

const input = z.strictObject({
  query: z.string().min(1).describe('What to search the web for'),
  max_results: z.number().int().min(1).max(20).optional().describe('How many results; default 5'),
  allowed_domains: z.array(z.string()).optional().describe('Only results from these domains'),
  blocked_domains: z.array(z.string()).optional().describe('No results from these domains'),
});

interface Hit {
  title: string;
  url: string;
  snippet: string;
  date?: string;
}

class SearchFailure extends Error {}

const UNCONFIGURED =
  "web_search unavailable: set webSearch in runtools.config.ts (no search provider is configured; for example webSearch: { provider: 'searxng', url: 'http://127.0.0.1:8888' }, or { provider: 'brave', apiKeyEnv: 'BRAVE_API_KEY' }, or { provider: 'tavily', apiKeyEnv: 'TAVILY_API_KEY' }); do not retry";

async function getJson(url: string, init: RequestInit, signal: AbortSignal): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.any([signal, AbortSignal.timeout(15_000)]) });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new SearchFailure(`unavailable: the search provider did not answer (${(error as Error).message})`);
  }
  if (response.status === 429)
    throw new SearchFailure(
      'too_many_requests: the search provider is rate limiting; wait before searching again',
    );
  if (!response.ok) {
    const body = (await response.text()).slice(0, 200);
    throw new SearchFailure(`unavailable: the search provider answered HTTP ${response.status} ${body}`);
  }
  return response.json();
}

function apiKey(
  settings: WebSearchSettings,
  env: Record<string, string | undefined>,
  fallback: string,
): string {
  const name = settings.apiKeyEnv ?? fallback;
  const key = env[name];
  if (!key)
    throw new SearchFailure(
      `unavailable: the ${settings.provider} API key is missing; set the environment variable ${name}. Do not retry`,
    );
  return key;
}

type Row = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const rows = (v: unknown): Row[] =>
  Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Row[]) : [];

async function search(
  settings: WebSearchSettings,
  env: Record<string, string | undefined>,
  query: string,
  count: number,
  signal: AbortSignal,
): Promise<Hit[]> {
  switch (settings.provider) {
    case 'searxng': {
      if (!settings.url)
        throw new SearchFailure(
          'unavailable: webSearch.url is not set; give the SearXNG base URL in runtools.config.ts. Do not retry',
        );
      const url = `${settings.url.replace(/\/$/, '')}/search?q=${encodeURIComponent(query)}&format=json`;
      const body = (await getJson(url, {}, signal)) as { results?: unknown };
      return rows(body.results).map((r) => ({
        title: str(r.title),
        url: str(r.url),
        snippet: str(r.content),
        date: str(r.publishedDate) || undefined,
      }));
    }
    case 'brave': {
      const key = apiKey(settings, env, 'BRAVE_API_KEY');
      const base = settings.url ?? 'https://api.search.brave.com/res/v1/web/search';
      const body = (await getJson(
        `${base}?q=${encodeURIComponent(query)}&count=${count}`,
        { headers: { 'X-Subscription-Token': key, Accept: 'application/json' } },
        signal,
      )) as { web?: { results?: unknown } };
      return rows(body.web?.results).map((r) => ({
        title: str(r.title),
        url: str(r.url),
        snippet: str(r.description),
        date: str(r.age) || undefined,
      }));
    }
    case 'tavily': {
      const key = apiKey(settings, env, 'TAVILY_API_KEY');
      const body = (await getJson(
        settings.url ?? 'https://api.tavily.com/search',
        {
          method: 'POST',
          headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ query, max_results: count }),
        },
        signal,
      )) as { results?: unknown };
      return rows(body.results).map((r) => ({
        title: str(r.title),
        url: str(r.url),
        snippet: str(r.content),
        date: str(r.published_date) || undefined,
      }));
    }
  }
}

function hostMatches(url: string, domains: readonly string[]): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return domains.some((d) => {
    const domain = d.toLowerCase().replace(/^\*?\./, '');
    return host === domain || host.endsWith(`.${domain}`);
  });
}

export const webSearchTool: Tool<typeof input> = {
  name: 'web_search',
  description: [
    'Search the web. Returns numbered results with title, URL and a snippet.',
    'Narrow with allowed_domains or blocked_domains (not both). Use it for facts newer than your training or outside the workspace.',
  ].join(' '),
  inputSchema: input,
  async execute(args, ctx): Promise<ToolResult> {
    const settings = ctx.settings.webSearch;
    if (!settings) return { output: UNCONFIGURED, isError: true };
    if (args.allowed_domains?.length && args.blocked_domains?.length) {
      return {
        output: 'invalid_tool_input: give allowed_domains or blocked_domains, not both',
        isError: true,
      };
    }
    const max = args.max_results ?? 5;
    let hits: Hit[];
    try {
      // Ask for more than needed: domain filters drop some.
      hits = await search(settings, ctx.settings.env, args.query, Math.min(20, max * 2), ctx.signal);
    } catch (error) {
      if (error instanceof SearchFailure) return { output: `web_search ${error.message}`, isError: true };
      throw error;
    }
    if (args.allowed_domains?.length) hits = hits.filter((h) => hostMatches(h.url, args.allowed_domains!));
    if (args.blocked_domains?.length) hits = hits.filter((h) => !hostMatches(h.url, args.blocked_domains!));
    hits = hits.filter((h) => h.url).slice(0, max);
    if (hits.length === 0) return { output: `No web results for "${args.query}".` };
    const lines = hits.map(
      (h, i) =>
        `${i + 1}. ${h.title || h.url}\n   ${h.url}${h.date ? ` (${h.date})` : ''}\n   ${h.snippet.replace(/\s+/g, ' ').trim()}`,
    );
    return { output: `Web results for "${args.query}":\n\n${lines.join('\n\n')}` };
  },
};

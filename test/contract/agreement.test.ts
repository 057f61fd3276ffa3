import { describe, expect, it } from 'vitest';
import type { RunToolsApi } from '../../src/api/contract.js';
import { RunToolsError } from '../../src/api/errors.js';
import { startHarness, TRANSPORTS } from '../helpers/transports.js';

type Step = [label: string, call: (api: RunToolsApi) => Promise<unknown>];

/** Every call of the contract, including failures; the transports must give identical transcripts. */
const STEPS: Step[] = [
  [
    'create runtime',
    (api) => api.runtimes.create({ slug: 'bot', model: 'gpt-5.2', tools: ['bash', 'grep'] }),
  ],
  [
    'create bad runtime',
    (api) => api.runtimes.create({ slug: 'bot2', model: 'gpt-5.2', tools: ['nope' as 'bash'] }),
  ],
  ['update runtime', (api) => api.runtimes.update('bot', { systemPrompt: 'be brief' })],
  ['create version', (api) => api.runtimes.createVersion('bot')],
  ['versions', (api) => api.runtimes.versions('bot')],
  ['version 1', (api) => api.runtimes.version('bot', 1)],
  ['missing version', (api) => api.runtimes.version('bot', 7)],
  ['rollback', (api) => api.runtimes.rollback('bot', { version: 1 })],
  ['rollback bad body', (api) => api.runtimes.rollback('bot', { version: 'one' as unknown as number })],
  ['list runtimes', (api) => api.runtimes.list()],
  ['get missing runtime', (api) => api.runtimes.get('ghost')],
  [
    'create deployment',
    (api) => api.deployments.create({ runtimeSlug: 'bot', templateSlug: 'base', apiSlug: 'bot-api' }),
  ],
  [
    'duplicate deployment',
    (api) => api.deployments.create({ runtimeSlug: 'bot', templateSlug: 'base', apiSlug: 'bot-api' }),
  ],
  [
    'bad deployment',
    (api) => api.deployments.create({ runtimeSlug: 'bot', templateSlug: 'base', apiSlug: 'x', timeout: 0 }),
  ],
  ['update deployment', (api) => api.deployments.update('bot-api', { maxConcurrent: 3 })],
  ['list deployments', (api) => api.deployments.list()],
  ['delete used runtime', (api) => api.runtimes.delete('bot')],
  ['delete deployment', (api) => api.deployments.delete('bot-api')],
  ['delete runtime', (api) => api.runtimes.delete('bot')],
  ['list after delete', (api) => api.runtimes.list()],
];

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function normalise(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null), (key, v: unknown) => {
    if (typeof v === 'string' && ISO.test(v)) return '<time>';
    if (key === 'apiEndpoint' && typeof v === 'string') return v.replace(/^http:\/\/[^/]+/, '<base>');
    return v;
  });
}

async function transcript(transport: (typeof TRANSPORTS)[number]): Promise<unknown[]> {
  const h = await startHarness(transport);
  try {
    const out: unknown[] = [];
    for (const [label, call] of STEPS) {
      try {
        out.push([label, 'ok', normalise(await call(h.api))]);
      } catch (error) {
        if (!(error instanceof RunToolsError)) throw error;
        out.push([label, 'error', error.status, error.type, error.message, normalise(error.details)]);
      }
    }
    return out;
  } finally {
    await h.close();
  }
}

describe('the two transports', () => {
  it('give identical results and identical errors for the same calls', async () => {
    const [inProcess, http] = await Promise.all(TRANSPORTS.map(transcript));
    expect(http).toEqual(inProcess);
    // The transcript is only worth comparing if it exercised both outcomes.
    const outcomes = (inProcess as unknown[][]).map((row) => row[1]);
    expect(outcomes.filter((o) => o === 'error').length).toBeGreaterThanOrEqual(7);
    expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThanOrEqual(10);
  });
});

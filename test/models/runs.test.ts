import { afterEach, describe, expect, it } from 'vitest';
import { emptyUsage, type Message } from '../../src/api/messages.js';
import type { ModelConfig } from '../../src/api/types.js';
import { exportRun } from '../../src/cli/run-export.js';
import type { FakeServer, FakeStep } from '../fakes/fake-server.js';
import { script } from '../helpers/runs.js';
import { type Harness, startHarness } from '../helpers/transports.js';
import { TARGETS, type Target } from './helpers.js';

/** Model runs through the whole engine (local sandbox, real SQLite, the SDKs against the fakes). */

const target = (name: string): Target => {
  const found = TARGETS.find((t) => t.name === name);
  if (!found) throw new Error(`no target ${name}`);
  return found;
};

let harnesses: Harness[] = [];
let fakes: FakeServer[] = [];
afterEach(async () => {
  await Promise.all([...harnesses.map((h) => h.close()), ...fakes.map((f) => f.close())]);
  harnesses = [];
  fakes = [];
});

async function harness(env: Record<string, string>, logs: string[] = []): Promise<Harness> {
  const h = await startHarness('in-process', { env, parts: { warn: (line) => logs.push(line) } });
  harnesses.push(h);
  return h;
}

async function fake(t: Target, turns: FakeStep[]): Promise<FakeServer> {
  const started = await t.start(turns);
  fakes.push(started);
  return started;
}

async function deploy(
  h: Harness,
  model: ModelConfig,
  extra: { toolChoice?: 'auto' | 'any' | 'required' | 'none' | { tool: string }; tools?: 'bash'[] } = {},
): Promise<void> {
  await h.rt.runtimes.create({
    slug: 'bot',
    systemPrompt: 'You are a test agent.',
    model,
    tools: extra.tools ?? ['bash'],
    ...(extra.toolChoice ? { toolChoice: extra.toolChoice } : {}),
  });
  await h.rt.deployments.create({
    runtimeSlug: 'bot',
    apiSlug: 'bot',
    templateSlug: 'nodejs-20',
    sandbox: 'local',
  });
}

/** A reasoning turn with a tool call, then an answer: what each provider's fake renders in its format. */
const TWO_TURNS: FakeStep[] = [
  {
    thinking: 'Look at the files.',
    signature: 'EqQBsig/+=',
    encryptedReasoning: 'gAAAAB-encrypted',
    thoughtSignature: 'Y2FsbC1zaWc=',
    textSignature: 'dGV4dC1zaWc=',
    text: 'Checking.',
    toolCalls: [{ id: 'call_1', name: 'bash', input: { command: 'echo hi' } }],
    usage: { inputTokens: 1000, outputTokens: 200 },
  },
  { text: 'It says hi.', usage: { inputTokens: 1300, outputTokens: 20 } },
];

const SIGNATURE_OF: Record<string, string> = {
  anthropic: 'EqQBsig/+=',
  openai: 'gAAAAB-encrypted',
  google: 'Y2FsbC1zaWc=',
};

describe.each(['anthropic', 'openai', 'google'])('%s: a run exported and imported', (name) => {
  it('sends byte-identical provider requests when continued here and there', async () => {
    const t = target(name);
    const source = await fake(t, [...TWO_TURNS, { text: 'Continued.' }]);
    const here = await harness(t.env(source));
    await deploy(here, t.config(source));
    const first = await here.rt.agents.run('bot', { message: 'What does echo say?' });
    expect(first.status).toBe('completed');
    // The second model request of the run carried the first response's reasoning.
    expect(source.requests[1]?.raw).toContain(SIGNATURE_OF[name]);
    const messages = (await here.rt.runs.get(first.id)).messages;
    await here.rt.agents.run('bot', { message: 'And now?', context: { history: messages } });

    const bundle = JSON.parse(JSON.stringify(await exportRun(here.api, first.id)));
    const elsewhere = await fake(t, [{ text: 'Continued.' }]);
    const there = await harness(t.env(elsewhere));
    await there.api.runs.import(bundle);
    const imported: Message[] = (await there.rt.runs.get(first.id)).messages;
    expect(imported).toEqual(messages);
    await there.rt.agents.run('bot', { message: 'And now?', context: { history: imported } });

    const continuedHere = source.requests[2]?.raw;
    expect(continuedHere).toContain(SIGNATURE_OF[name]);
    expect(elsewhere.requests[0]?.raw).toBe(continuedHere);
  });
});

describe('quiet SDKs', () => {
  it('no SDK writes to the console during runs; the deprecation notice goes to the log once per model', async () => {
    const anthropic = target('anthropic');
    const openai = target('openai');
    const anthropicFake = await fake(anthropic, [{ text: 'one' }, { text: 'two' }]);
    const openaiFake = await fake(openai, [{ text: 'three' }]);
    const logs: string[] = [];
    const h = await harness({ ...anthropic.env(anthropicFake), ...openai.env(openaiFake) }, logs);
    await deploy(h, { provider: 'anthropic', model: 'claude-opus-4-5', thinkingBudget: 2048 });
    await h.rt.runtimes.create({ slug: 'gpt', systemPrompt: '', model: 'gpt-5', tools: [] });
    await h.rt.deployments.create({
      runtimeSlug: 'gpt',
      apiSlug: 'gpt',
      templateSlug: 'nodejs-20',
      sandbox: 'local',
    });

    const written: string[] = [];
    const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
    const saved = methods.map((method) => console[method]);
    for (const method of methods) {
      console[method] = (...args: unknown[]) => {
        written.push(`console.${method}: ${args.map(String).join(' ')}`);
      };
    }
    try {
      for (const slug of ['bot', 'bot', 'gpt']) {
        expect((await h.rt.agents.run(slug, { message: 'hi' })).status).toBe('completed');
      }
    } finally {
      methods.forEach((method, index) => {
        console[method] = saved[index]!;
      });
    }
    expect(written).toEqual([]);
    expect(anthropicFake.requests).toHaveLength(2);
    expect(logs.filter((line) => line.includes('claude-opus-4-5 is deprecated'))).toHaveLength(1);
  });
});

describe('the cost of every run', () => {
  it('prices a scripted run as the model it stands in for, and keeps the cost of a run that failed', async () => {
    const h = await harness({});
    const model = {
      ...script(h, 'sonnet', [
        {
          text: 'step',
          toolCalls: [{ name: 'bash', input: { command: 'true' } }],
          usage: { ...emptyUsage(), inputTokens: 1_000_000 },
        },
        { error: { kind: 'bad_request', message: 'the provider said no' } },
      ]),
      model: 'claude-sonnet-4-5',
    };
    await deploy(h, model);
    const run = await h.rt.agents.run('bot', { message: 'go' });
    expect(run.status).toBe('failed');
    // One million input tokens of Sonnet 4.5 at $3 per million, up to the failure.
    expect((await h.rt.runs.get(run.id)).usage).toMatchObject({ inputTokens: 1_000_000, costUsd: 3 });
  });

  it('prices a custom model at the prices its config gives', async () => {
    const t = target('custom openai-format');
    const server = await fake(t, [
      { text: 'local answer', usage: { inputTokens: 2_000_000, outputTokens: 500_000 } },
    ]);
    const h = await harness({});
    await deploy(h, {
      provider: 'custom',
      format: 'openai',
      endpoint: server.baseURL,
      price: { input: 0.5, output: 2 },
    });
    const run = await h.rt.agents.run('bot', { message: 'go' });
    expect((await h.rt.runs.get(run.id)).usage.costUsd).toBe(2);
  });
});

describe('toolChoice', () => {
  it('a runtime forcing a tool call sends it on the turn that answers the user, then lets the model choose', async () => {
    const t = target('openai');
    const server = await fake(t, [
      { toolCalls: [{ id: 'c1', name: 'bash', input: { command: 'true' } }] },
      { text: 'done' },
    ]);
    const h = await harness(t.env(server));
    await deploy(h, 'gpt-5', { toolChoice: 'required' });
    await h.rt.agents.run('bot', { message: 'go' });
    expect(server.requests[0]?.body.tool_choice).toBe('required');
    expect(server.requests[1]?.body).not.toHaveProperty('tool_choice');
  });

  it('a run names the tool, over the runtime choice, and Anthropic gets tool_choice type tool', async () => {
    const t = target('anthropic');
    const server = await fake(t, [{ text: 'done' }]);
    const h = await harness(t.env(server));
    await deploy(h, 'claude-haiku-4-5', { toolChoice: 'none' });
    await h.rt.agents.run('bot', { message: 'go', toolChoice: { tool: 'bash' } });
    expect(server.requests[0]?.body.tool_choice).toEqual({ type: 'tool', name: 'bash' });
    expect((await h.rt.runs.list({ deployment: 'bot' })).data[0]?.input.toolChoice).toEqual({ tool: 'bash' });
  });

  it('a named tool the runtime does not enable fails the run with the fix', async () => {
    const t = target('google');
    const server = await fake(t, [{ text: 'never' }]);
    const h = await harness(t.env(server));
    await deploy(h, 'gemini-2.5-flash', { toolChoice: { tool: 'web_search' } });
    const run = await h.rt.agents.run('bot', { message: 'go' });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/toolChoice names the tool "web_search", which this runtime does not enable/);
    expect(server.requests).toHaveLength(0);
  });
});

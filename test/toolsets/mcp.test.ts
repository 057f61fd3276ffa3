import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeMcpHttpServer, startFakeMcpHttpServer } from '../fakes/mcp-http-server.js';
import { script, until } from '../helpers/runs.js';
import { type Harness, startHarness } from '../helpers/transports.js';
import { applyConfig, eventually, logLines, STDIO_SERVER } from './helpers.js';

const TOKEN = 'tok-mcp-very-secret-42';

/** A runtime and deployment (local sandbox) whose scripted model makes these tool calls. */
function agent(
  h: Harness,
  slug: string,
  tools: string[],
  calls: { name: string; input: Record<string, unknown> }[][],
): string {
  const model = script(h, slug, [...calls.map((toolCalls) => ({ toolCalls })), { text: 'done' }]);
  return `{ slug: '${slug}', model: ${JSON.stringify(model)}, tools: ${JSON.stringify(tools)} }`;
}

const deployment = (slug: string) =>
  `{ apiSlug: '${slug}', runtimeSlug: '${slug}', templateSlug: 'base', sandbox: 'local', secrets: ['FAKE_TOKEN'] }`;

// Each test starts real server processes (node + tsx); on a loaded 2-core machine a start alone can take 10 s.
describe('MCP servers from the config', { timeout: 120_000 }, () => {
  let h: Harness;
  let web: FakeMcpHttpServer;
  let log: string;
  let webLog: string;

  beforeAll(async () => {
    h = await startHarness('http', { env: { ...process.env, FAKE_TOKEN: TOKEN } });
    log = path.join(h.projectDir, 'stdio.log');
    webLog = path.join(h.projectDir, 'http.log');
    web = await startFakeMcpHttpServer({ log: webLog });
  });
  afterAll(async () => {
    await h?.close();
    await web?.close();
  });

  /** The config: a stdio server `fake` (short timeout), the same as `patient` (long), and `web` over HTTP. */
  const config = (runtimes: string[]) => `export default {
  tools: {
    fake: { mcp: { ...${JSON.stringify(STDIO_SERVER)}, env: { FAKE_TOKEN: { secret: 'FAKE_TOKEN' }, FAKE_MCP_LOG: ${JSON.stringify(log)} } }, timeoutMs: 1500 },
    patient: { mcp: { ...${JSON.stringify(STDIO_SERVER)}, env: { FAKE_MCP_LOG: ${JSON.stringify(`${log}.patient`)} } }, timeoutMs: 120000 },
    web: { mcp: { url: ${JSON.stringify(web.url)}, headers: { authorization: { secret: 'FAKE_TOKEN' } } } },
  },
  runtimes: [${runtimes.join(', ')}],
  deployments: [${runtimes.map((_, i) => deployment(`bot-${i}`)).join(', ')}],
};
`;

  it('starts a stdio server on first use, shares it across runs, and redacts its secrets', async () => {
    await applyConfig(
      h,
      config([
        agent(
          h,
          'bot-0',
          ['fake'],
          [[{ name: 'fake__echo', input: { text: 'hello' } }], [{ name: 'fake__whoami', input: {} }]],
        ),
      ]),
    );
    expect(logLines(log)).toEqual([]); // not started by the config: on first use
    const first = await h.rt.agents.run('bot-0', { message: 'go' });
    expect(first.status).toBe('completed');
    expect(first.toolCalls.map((c) => [c.tool, c.output])).toEqual([
      ['fake__echo', 'echo: hello'],
      ['fake__whoami', 'token=[secret:FAKE_TOKEN]'],
    ]);
    const events = JSON.stringify((await h.rt.runs.get(first.id)).events);
    expect(events).not.toContain(TOKEN);
    const second = await h.rt.agents.run('bot-0', { message: 'again' });
    expect(second.status).toBe('completed');
    expect(logLines(log).filter((l) => l.startsWith('started'))).toHaveLength(1);
    const version = (await (await h.rt.runtimes.get('bot-0')).versions()).at(-1)!;
    expect(version.toolSpecs?.map((s) => s.name)).toEqual([
      'fake__echo',
      'fake__add',
      'fake__whoami',
      'fake__fail',
      'fake__crash',
      'fake__hang',
    ]);
    expect(version.toolSpecs?.[0]).toMatchObject({
      description: 'Echoes its text back',
      inputSchema: { type: 'object', properties: { text: { type: 'string' } } },
    });
  });

  it('a server that crashes mid-call fails that call only; the next call starts it again', async () => {
    await applyConfig(
      h,
      config([
        agent(
          h,
          'bot-0',
          ['fake'],
          [
            [{ name: 'fake__crash', input: {} }],
            [{ name: 'fake__echo', input: { text: 'after' } }],
            [{ name: 'fake__fail', input: {} }],
          ],
        ),
      ]),
    );
    const starts = logLines(log).filter((l) => l.startsWith('started')).length;
    const run = await h.rt.agents.run('bot-0', { message: 'go' });
    expect(run.status).toBe('completed');
    expect(run.toolCalls[0]).toMatchObject({
      isError: true,
      output: expect.stringMatching(
        /MCP server "fake" .* stopped during crash .*crashing on purpose.*it starts again on the next call/s,
      ),
    });
    expect(run.toolCalls[1]).toMatchObject({ isError: false, output: 'echo: after' });
    expect(run.toolCalls[2]).toMatchObject({ isError: true, output: 'the fake tool failed on purpose' });
    expect(logLines(log).filter((l) => l.startsWith('started')).length).toBeGreaterThan(starts);
  });

  it('a call that hangs times out (the model reads why, the server is told to cancel)', async () => {
    await applyConfig(
      h,
      config([agent(h, 'bot-0', ['fake__hang', 'fake__echo'], [[{ name: 'fake__hang', input: {} }]])]),
    );
    const run = await h.rt.agents.run('bot-0', { message: 'go' });
    expect(run.status).toBe('completed');
    expect(run.toolCalls[0]).toMatchObject({
      isError: true,
      output: expect.stringMatching(
        /did not answer hang within 1500 ms; the call was cancelled \(raise timeoutMs/,
      ),
    });
    await eventually(() => logLines(log).includes('hang cancelled'), 'the server to see the cancel');
  });

  it('cancelling the run reaches the hanging call', async () => {
    await applyConfig(h, config([agent(h, 'bot-0', ['patient'], [[{ name: 'patient__hang', input: {} }]])]));
    const run = await h.rt.agents.run('bot-0', { message: 'go', stream: true });
    const iterator = run[Symbol.asyncIterator]();
    await until(iterator, (e) => e.type === 'tool_call');
    await eventually(
      () => logLines(`${log}.patient`).includes('hang started'),
      'the call to reach the server',
    );
    const cancelled = await run.cancel();
    expect(cancelled.status).toBe('cancelled');
    await eventually(
      () => logLines(`${log}.patient`).includes('hang cancelled'),
      'the server to see the cancel',
    );
  });

  it('a streamable-HTTP server: headers from secrets, a connection cut mid-call fails that call only', async () => {
    await applyConfig(
      h,
      config([
        agent(
          h,
          'bot-0',
          ['web'],
          [
            [{ name: 'web__echo', input: { text: 'over http' } }],
            [{ name: 'web__crash', input: {} }],
            [{ name: 'web__add', input: { a: 2, b: 3 } }],
          ],
        ),
      ]),
    );
    const run = await h.rt.agents.run('bot-0', { message: 'go' });
    expect(run.status).toBe('completed');
    expect(run.toolCalls.map((c) => [c.tool, c.isError])).toEqual([
      ['web__echo', false],
      ['web__crash', true],
      ['web__add', false],
    ]);
    expect(run.toolCalls[0]!.output).toBe('echo: over http');
    expect(run.toolCalls[2]!.output).toBe('5');
    expect(web.authorizations).toContain(TOKEN);
  });

  it('a secret the deployment does not list fails the run with the fix', async () => {
    const file = config([
      agent(h, 'bot-0', ['fake'], [[{ name: 'fake__echo', input: { text: 'x' } }]]),
    ]).replace("secrets: ['FAKE_TOKEN']", 'secrets: []');
    await applyConfig(h, file);
    const run = await h.rt.agents.run('bot-0', { message: 'go' });
    expect(run).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(
        /toolset "fake" needs the secret FAKE_TOKEN for FAKE_TOKEN; add "FAKE_TOKEN" to the deployment's secrets/,
      ),
    });
  });
});

describe('MCP toolsets without a config entry', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness('in-process');
  });
  afterEach(() => h.close());

  it('a runtime naming an MCP toolset the config does not have is a 400', async () => {
    await expect(
      h.rt.runtimes.create({ slug: 'x', model: 'gpt-5.2', tools: ['linear__create_issue'] }),
    ).rejects.toThrow(/unknown tool "linear__create_issue".*add a toolset under tools:/);
  });
});

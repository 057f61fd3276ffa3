import { readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunTools } from '../../src/index.js';
import type { RecordedCall } from '../../src/toolsets/recorder.js';
import { type Project, project, REPO, scriptJson, startDev } from '../cli/helpers.js';
import { logLines } from './helpers.js';

const TOKEN = 'tok-live-gmail-very-secret-7';
const LIVE_SERVER = {
  command: process.execPath,
  args: ['--import', 'tsx', path.join(REPO, 'test/fakes/mcp-gmail-server.ts')],
};

let p: Project;
let stop: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
  p?.cleanup();
});

/** gmail with a live provider (the fake "real" Gmail MCP server) and a recording; `extra` goes in its entry. */
const config = (
  log: string,
  extra = '',
  sendTool = 'send_email',
  sendFields = 'stand-in',
) => `export default {
  sandbox: 'local',
  tools: {
    gmail: {
      live: { mcp: { ...${JSON.stringify(LIVE_SERVER)}, env: { FAKE_MCP_LOG: ${JSON.stringify(log)}, FAKE_SEND_TOOL: '${sendTool}', FAKE_SEND_FIELDS: '${sendFields}', FAKE_TOKEN: { secret: 'FAKE_TOKEN' } } }${extra} },
      record: 'recordings/gmail.jsonl',
    },
  },
  runtimes: [{ slug: 'mailer', model: { provider: 'scripted', script: './mail.json' }, tools: ['gmail__send_email'] }],
  deployments: [{ apiSlug: 'mailer', runtimeSlug: 'mailer', templateSlug: 'base', secrets: ['FAKE_TOKEN'] }],
};
`;

function setup(extra = '', sendTool?: string, sendFields?: string): { log: string; recording: string } {
  p = project({
    '.env': `FAKE_TOKEN=${TOKEN}\n`,
    'mail.json': scriptJson([
      {
        toolCalls: [
          {
            name: 'gmail__send_email',
            input: { to: 'ops@acme.example', subject: 'Disk full', body: 'On it.' },
          },
        ],
      },
      { text: 'sent' },
    ]),
  });
  const log = path.join(p.dir, 'live-sends.log');
  p.write('runtools.config.ts', config(log, extra, sendTool, sendFields));
  symlinkSync(path.join(REPO, 'node_modules'), path.join(p.dir, 'node_modules'));
  return { log, recording: path.join(p.dir, 'recordings/gmail.jsonl') };
}

const recorded = (file: string): RecordedCall[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RecordedCall);

const runId = (stdout: string): string => /"runId":"(run-[0-9a-z]+)"/.exec(stdout)?.[1] ?? '';

/** Starts dev and runs `mailer`: the scripted send reaches the live server under the stand-in's name. */
async function sendsLive(log: string): Promise<{ url: string; end: () => Promise<unknown> }> {
  const { url, stop: end } = await startDev(p);
  stop = end;
  const run = await p.cli(['--base-url', url, 'run', 'mailer', 'answer ops', '--json']);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('"tool":"gmail__send_email"');
  expect(run.stdout).toContain('live send ok: \\"Disk full\\" to ops@acme.example');
  expect(logLines(log)).toEqual(['sent {"to":"ops@acme.example","subject":"Disk full"}']);
  return { url, end };
}

/** The SDK, on a dev this project started. */
const sdk = (baseUrl: string) =>
  new RunTools({ apiKey: readFileSync(path.join(p.dataDir, 'api-key'), 'utf8').trim(), baseUrl });

describe('live or stand-in, on purpose', () => {
  it('without --live the stand-in serves and the live server is never started; calls are recorded', async () => {
    const { log, recording } = setup();
    const { dev, url, stop: end } = await startDev(p);
    stop = end;
    expect(dev.stdout()).toMatch(
      /integrations: gmail \(stand-in, recording to \S*recordings\/gmail\.jsonl\)/,
    );
    const run = await p.cli(['--base-url', url, 'run', 'mailer', 'answer ops', '--json']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('kept in the outbox, nothing left this machine');
    expect(logLines(log)).toEqual([]);
    const outbox = await p.cli(['--base-url', url, 'integrations', 'gmail', 'outbox']);
    expect(outbox.stdout).toMatch(/Disk full {2}→ ops@acme\.example/);
    const [line] = recorded(recording);
    expect(line).toMatchObject({
      tool: 'gmail__send_email',
      provider: 'stand-in',
      input: { to: 'ops@acme.example', subject: 'Disk full', body: 'On it.' },
      isError: false,
      callId: expect.any(String),
      runId: expect.stringMatching(/^run-/),
    });
  });

  it('with --live gmail the real provider serves under the same names; replay and rerun reuse its results unless --live', async () => {
    const { log, recording } = setup();
    const { dev, url, stop: end } = await startDev(p, ['--live', 'gmail']);
    stop = end;
    expect(dev.stdout()).toMatch(/integrations: gmail \(LIVE: mcp \S*node --import tsx \S*, recording to/);
    const run = await p.cli(['--base-url', url, 'run', 'mailer', 'answer ops', '--json']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'live send ok: \\"Disk full\\" to ops@acme.example (auth [secret:FAKE_TOKEN])',
    );
    expect(run.stdout).not.toContain(TOKEN);
    expect(logLines(log)).toEqual(['sent {"to":"ops@acme.example","subject":"Disk full"}']);
    const outbox = await p.cli(['--base-url', url, 'integrations', 'gmail', 'outbox']);
    expect(outbox.stdout).toMatch(/gmail outbox is empty/);
    const list = await p.cli(['--base-url', url, 'integrations']);
    expect(list.stdout).toMatch(/gmail \(live\)/);
    // The recording has the live call, its token redacted.
    expect(readFileSync(recording, 'utf8')).not.toContain(TOKEN);
    expect(recorded(recording)).toEqual([
      expect.objectContaining({
        provider: 'live mcp',
        output: expect.stringContaining('[secret:FAKE_TOKEN]'),
      }),
    ]);

    const id = runId(run.stdout);
    const replay = await p.cli(['--base-url', url, 'replay', id]);
    expect(replay.stdout).toMatch(/no differences/);
    expect(replay.stdout).toMatch(/gmail__send_email was not called again: the result recorded in run/);
    const rerun = await p.cli(['--base-url', url, 'rerun', id]);
    expect(rerun.code).toBe(0);
    expect(logLines(log)).toHaveLength(1); // neither sent again

    const liveReplay = await p.cli(['--base-url', url, 'replay', id, '--live']);
    expect(liveReplay.stdout).not.toMatch(/was not called again/);
    const liveRerun = await p.cli(['--base-url', url, 'rerun', id, '--live']);
    expect(liveRerun.code).toBe(0);
    expect(logLines(log)).toHaveLength(3);
    expect(recorded(recording)).toHaveLength(3);
  });

  it('live.enabled in the config turns the live provider on without the flag', async () => {
    const { log } = setup(', enabled: true');
    const { dev, url, stop: end } = await startDev(p);
    stop = end;
    expect(dev.stdout()).toMatch(/integrations: gmail \(LIVE: mcp/);
    await p.cli(['--base-url', url, 'run', 'mailer', 'answer ops']);
    expect(logLines(log)).toHaveLength(1);
  });

  it('live.tools maps the stand-in names the model knows to a live server that names its tools otherwise', async () => {
    const { log } = setup(
      ", enabled: true, tools: { send_email: 'gmail_send_message' }",
      'gmail_send_message',
    );
    const { end } = await sendsLive(log);

    // A mapping to a tool the server does not have fails the run, naming the tools it has.
    p.write(
      'runtools.config.ts',
      config(log, ", enabled: true, tools: { send_email: 'send_mail' }", 'gmail_send_message'),
    );
    await end();
    const again = await startDev(p);
    stop = again.stop;
    const failed = await p.cli(['--base-url', again.url, 'run', 'mailer', 'answer ops', '--json']);
    expect(failed.code).not.toBe(0);
    expect(failed.stdout + failed.stderr).toMatch(
      /tools\.gmail\.live\.tools maps send_email to \\?"send_mail\\?", which the live provider does not offer; its tools are gmail_send_message/,
    );
    expect(logLines(log)).toHaveLength(1);
  });

  it("live.tools with input keeps the stand-in tool for the model and turns its input into the live server's own", async () => {
    const { log } = setup(
      `, enabled: true, tools: { send_email: { name: 'gmail_send_message', input: (i) => ({ recipients: String(i.to).split(','), subject: i.subject, text: i.body }) } }`,
      'gmail_send_message',
      'recipients',
    );
    const { url, end } = await sendsLive(log);
    // The model was given the stand-in's tool, not the live server's {recipients, subject, text}.
    const [version] = await sdk(url)
      .runtimes.get('mailer')
      .then((r) => r.versions());
    const spec = version!.toolSpecs?.find((s) => s.name === 'gmail__send_email');
    expect(spec?.description).toMatch(/^Send an email\. Returns the sent message id/);
    expect(Object.keys((spec!.inputSchema as { properties: object }).properties).sort()).toEqual([
      'body',
      'cc',
      'subject',
      'to',
    ]);

    // Input the stand-in's schema refuses never reaches the live server; a throwing mapping fails
    // that call only, naming the config field.
    p.write(
      'mail.json',
      scriptJson([
        { toolCalls: [{ name: 'gmail__send_email', input: { to: 'ops@acme.example' } }] },
        {
          toolCalls: [
            { name: 'gmail__send_email', input: { to: 'x@acme.example', subject: 'boom', body: 'b' } },
          ],
        },
        { text: 'gave up' },
      ]),
    );
    p.write(
      'runtools.config.ts',
      config(
        log,
        `, enabled: true, tools: { send_email: { name: 'gmail_send_message', input: (i) => { throw new Error('no mapping for ' + i.subject); } } }`,
        'gmail_send_message',
        'recipients',
      ),
    );
    await end();
    const again = await startDev(p);
    stop = again.stop;
    const bad = await p.cli(['--base-url', again.url, 'run', 'mailer', 'answer ops', '--json']);
    expect(bad.code).toBe(0);
    const { toolCalls: calls } = await sdk(again.url).runs.get(runId(bad.stdout));
    expect(calls[0]).toMatchObject({
      isError: true,
      output: expect.stringMatching(/invalid input for send_email: .*subject/),
    });
    expect(calls[1]).toMatchObject({
      isError: true,
      output: expect.stringContaining(
        'send_email failed: tools.gmail.live.tools.send_email.input threw: no mapping for boom',
      ),
    });
    expect(logLines(log)).toHaveLength(1);
  });

  it('--live naming a toolset without a live provider is an error naming the fix, and dev does not start', async () => {
    setup();
    p.write(
      'runtools.config.ts',
      'export default { sandbox: "local", tools: { billing: { mcp: { command: "true" } } } };\n',
    );
    const result = await p.cli(['dev', '--port', '0', '--live', 'gmail,billing']);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(
      /tools\.gmail\.live: --live gmail: runtools\.config\.ts gives "gmail" no live provider, so only the stand-in exists; add tools: \{ gmail: \{ live: \{ mcp: /,
    );
    expect(result.stdout).toMatch(
      /tools\.billing\.live: --live billing: tools\.billing in runtools\.config\.ts has no live: \{\.\.\.\} provider/,
    );
    expect(result.stderr).toMatch(/not started: --live gmail,billing needs a config that loads/);
  });
});

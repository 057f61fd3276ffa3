import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentRunEvent } from '../../src/api/types.js';
import { expectApiError } from '../helpers/errors.js';
import { deploy, script, until } from '../helpers/runs.js';
import { type Harness, startHarness, TRANSPORTS } from '../helpers/transports.js';

const SEND = {
  name: 'gmail__send_email',
  input: { to: 'ann@example.com', subject: 'Invoice #1042', body: 'Paid on Friday.' },
};

describe.each(TRANSPORTS)('toolsets and the gmail stand-in over %s', (transport) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(transport);
  });
  afterEach(() => h.close());

  it("runs the docs' Managing Runtimes snippet unchanged on a server with no config", async () => {
    const rt = h.rt;
    await rt.runtimes.create({ slug: 'code-assistant', model: 'claude-opus-4-5', tools: ['bash'] });
    // --- the docs' snippet, as written ---
    // List runtimes
    const runtimes = await rt.runtimes.list();

    // Get runtime
    const runtime = await rt.runtimes.get('code-assistant');

    // Update runtime
    await runtime.update({
      systemPrompt: 'Updated prompt...',
      tools: ['bash', 'read_file', 'edit_file', 'gmail'],
    });

    // Delete runtime
    await runtime.delete();
    // --- end of the snippet ---
    expect(runtimes.map((r) => r.slug)).toEqual(['code-assistant']);
    expect(runtime.tools).toEqual(['bash', 'read_file', 'edit_file', 'gmail']);
    await expectApiError(rt.runtimes.get('code-assistant'), 404, /not found/);
  });

  it('lists the stand-ins, and an unknown toolset is a 400 naming the known ones and how to add one', async () => {
    expect(await h.rt.integrations.list()).toEqual([
      expect.objectContaining({
        name: 'gmail',
        mode: 'stand-in',
        tools: ['gmail__send_email', 'gmail__search_emails', 'gmail__read_email'],
        views: ['outbox', 'mailbox'],
      }),
    ]);
    await expectApiError(
      h.rt.runtimes.create({ slug: 'x', model: 'gpt-5.2', tools: ['bash', 'linear'] }),
      400,
      /tools\.1: unknown tool "linear"; valid tools are bash, .*and the toolsets gmail .*add a toolset under tools: in runtools\.config\.ts/,
    );
    await expectApiError(
      h.rt.runtimes.create({ slug: 'x', model: 'gpt-5.2', tools: ['gmail__delete_everything'] }),
      400,
      /toolset "gmail" has no tool "delete_everything"; its tools are gmail__send_email, gmail__search_emails, gmail__read_email/,
    );
    await expectApiError(
      h.rt.deployments.create({
        apiSlug: 'd',
        runtimeSlug: 'nope',
        templateSlug: 'base',
        approve: ['slack'],
      }),
      400,
      /invalid deployment/,
    );
    await expectApiError(
      h.rt.integrations.view('gmail', 'drafts'),
      404,
      /no view "drafts"; its views are outbox, mailbox/,
    );
    await expectApiError(h.rt.integrations.view('slack', 'outbox'), 404, /integration "slack" not found/);
  });

  it('a scripted run sends mail through the stand-in: the outbox has it, an event shows it, the version records the tools', async () => {
    await deploy(
      h,
      'mailer',
      [
        { toolCalls: [{ name: 'gmail__search_emails', input: { query: 'from:billing invoice' } }] },
        { toolCalls: [{ name: 'gmail__read_email', input: { id: 'msg_invoice' } }] },
        { toolCalls: [SEND] },
        { text: 'sent' },
      ],
      { tools: ['read_file', 'gmail'] },
    );
    const run = await h.rt.agents.run('mailer', { message: 'answer the invoice mail' });
    expect(run.status).toBe('completed');
    const [search, read, send] = run.toolCalls;
    expect(JSON.parse(search!.output)).toMatchObject({
      messages: [{ id: 'msg_invoice', subject: 'Invoice #1042 is due' }],
      resultSizeEstimate: 1,
    });
    expect(JSON.parse(read!.output)).toMatchObject({ id: 'msg_invoice', from: 'billing@acme.example' });
    const sent = JSON.parse(send!.output) as { id: string };
    expect(sent).toMatchObject({ labelIds: ['SENT'] });

    const outbox = await h.rt.integrations.gmail.outbox();
    expect(outbox).toEqual([
      expect.objectContaining({
        id: sent.id,
        runId: run.id,
        to: ['ann@example.com'],
        subject: 'Invoice #1042',
        body: 'Paid on Friday.',
        labels: ['SENT'],
      }),
    ]);
    const events = (await h.rt.runs.get(run.id)).events;
    expect(events.find((e) => e.type === 'integration')).toMatchObject({
      integration: 'gmail',
      action: 'send_email',
      callId: send!.callId,
      summary: expect.stringMatching(/sent "Invoice #1042" to ann@example\.com .*nothing left this machine/),
      data: { id: sent.id },
    });
    // What was sent can be found again, as in Gmail.
    const version = (await h.rt.runtimes.get('mailer').then((r) => r.versions())).at(-1)!;
    expect(version.toolSpecs?.map((s) => s.name)).toEqual([
      'read_file',
      'gmail__send_email',
      'gmail__search_emails',
      'gmail__read_email',
    ]);
    expect(version.toolSpecs?.[1]?.inputSchema).toMatchObject({
      type: 'object',
      required: ['to', 'subject', 'body'],
    });
  });

  it('a replay of a run with toolset calls uses their recorded results: nothing is sent twice', async () => {
    await deploy(h, 'mailer', [{ toolCalls: [SEND] }, { text: 'sent' }], { tools: ['gmail'] });
    const original = await h.rt.agents.run('mailer', { message: 'send it' });
    expect(await h.rt.integrations.gmail.outbox()).toHaveLength(1);
    const replay = await h.rt.agents.run('mailer', {
      message: 'send it',
      model: { provider: 'replay', run: original.id },
    });
    expect(replay.status).toBe('completed');
    expect(replay.toolCalls.map((c) => [c.callId, c.output])).toEqual(
      original.toolCalls.map((c) => [c.callId, c.output]),
    );
    expect(await h.rt.integrations.gmail.outbox()).toHaveLength(1);
    const events = (await h.rt.runs.get(replay.id)).events;
    expect(events.filter((e) => e.type === 'integration')).toEqual([
      expect.objectContaining({
        integration: 'gmail',
        action: 'recorded_result',
        summary: expect.stringMatching(
          new RegExp(
            `gmail__send_email was not called again: the result recorded in run ${original.id} stands in`,
          ),
        ),
      }),
    ]);

    // toolsetCalls: 'live' (replay --live) calls the toolset again.
    const live = await h.rt.agents.run('mailer', {
      message: 'send it',
      model: { provider: 'replay', run: original.id },
      toolsetCalls: 'live',
    });
    expect(live.status).toBe('completed');
    expect(live.input.toolsetCalls).toBe('live');
    expect(await h.rt.integrations.gmail.outbox()).toHaveLength(2);
  });

  it("a run given another run's recorded toolset results (rerun) reuses a call with the same input and makes new ones", async () => {
    await deploy(h, 'mailer', [{ toolCalls: [SEND] }, { text: 'sent' }], { tools: ['gmail'] });
    const original = await h.rt.agents.run('mailer', { message: 'send it' });
    const other = { ...SEND, input: { ...SEND.input, subject: 'Invoice #1043' } };
    // The rerun's model makes its own call ids: the same call matches by tool and input.
    await deploy(h, 'mailer-2', [{ toolCalls: [SEND, other] }, { text: 'sent both' }], { tools: ['gmail'] });
    const rerun = await h.rt.agents.run('mailer-2', {
      message: 'send it',
      toolsetCalls: { recorded: original.id },
    });
    expect(rerun.status).toBe('completed');
    expect(rerun.toolCalls.map((c) => c.output)).toEqual([original.toolCalls[0]!.output, expect.any(String)]);
    expect(rerun.toolCalls[1]!.output).not.toBe(original.toolCalls[0]!.output);
    const outbox = await h.rt.integrations.gmail.outbox();
    expect(outbox.map((m) => m.subject).sort()).toEqual(['Invoice #1042', 'Invoice #1043']);
    await expectApiError(
      h.rt.agents.run('mailer', { message: 'x', toolsetCalls: 'recorded' as never }),
      400,
      /toolsetCalls is "live", or \{recorded: "<run id>"\}/,
    );
  });

  it('bad input to a stand-in tool is an error the model reads, naming the field', async () => {
    await deploy(
      h,
      'sloppy',
      [
        {
          toolCalls: [
            { name: 'gmail__send_email', input: { to: 'not an address', subject: 's', body: 'b' } },
          ],
        },
        { text: 'ok' },
      ],
      { tools: ['gmail__send_email'] },
    );
    const run = await h.rt.agents.run('sloppy', { message: 'go' });
    expect(run.toolCalls[0]).toMatchObject({
      isError: true,
      output: expect.stringMatching(/invalid input for send_email: to: use email addresses/),
    });
    expect(await h.rt.integrations.gmail.outbox()).toEqual([]);
  });

  it('approve holds the run before the call with its input in the event; resume() runs it', async () => {
    await deploy(h, 'careful', [{ toolCalls: [SEND] }, { text: 'done' }], {
      tools: ['gmail'],
      approve: ['gmail__send_email'],
    });
    const run = await h.rt.agents.run('careful', { message: 'send it', stream: true });
    const iterator = run[Symbol.asyncIterator]();
    const seen = await until(iterator, (e) => e.type === 'status' && e.status === 'paused');
    expect(seen.at(-1)).toMatchObject({
      reason: 'waiting for approval of gmail__send_email; resume() runs it, deny(reason) skips it',
      awaiting: { tool: 'gmail__send_email', input: SEND.input, approval: true },
    });
    expect(await h.rt.integrations.gmail.outbox()).toEqual([]);
    await run.resume();
    const result = await run.result();
    expect(result.status).toBe('completed');
    expect(await h.rt.integrations.gmail.outbox()).toHaveLength(1);
  });

  it('deny(reason) skips the held call and tells the model why; deny on a run not held is a 409', async () => {
    await h.rt.runtimes.create({
      slug: 'guarded',
      model: script(h, 'guarded', [
        { toolCalls: [SEND, { name: 'bash', input: { command: 'echo after' } }] },
        { text: 'understood' },
      ]),
      tools: ['gmail', 'bash'],
      approve: ['gmail'],
    });
    await h.rt.deployments.create({
      apiSlug: 'guarded',
      runtimeSlug: 'guarded',
      templateSlug: 'base',
      sandbox: 'local',
    });
    const run = await h.rt.agents.run('guarded', { message: 'send it', stream: true });
    const iterator = run[Symbol.asyncIterator]();
    await until(iterator, (e) => e.type === 'status' && e.status === 'paused');
    await run.deny('do not email customers from a test');
    const rest: AgentRunEvent[] = [];
    await until(iterator, (e) => e.type === 'status' && e.status === 'completed', rest);
    expect(rest.find((e) => e.type === 'tool_result' && e.tool === 'gmail__send_email')).toMatchObject({
      isError: true,
      output: 'a person denied this call, so it did not run: do not email customers from a test',
    });
    // bash was not in approve: it ran without a hold.
    expect(rest.filter((e) => e.type === 'status' && e.status === 'paused')).toEqual([]);
    const done = await h.rt.runs.get(run.id);
    expect(done.toolCalls.map((c) => [c.tool, c.isError])).toEqual([
      ['gmail__send_email', true],
      ['bash', false],
    ]);
    expect(await h.rt.integrations.gmail.outbox()).toEqual([]);
    await expectApiError(
      h.api.runs.deny(run.id, { reason: 'late' }),
      409,
      /cannot be denied a tool call any more/,
    );
  });

  it('deny on a running run that is not held before a tool is a 409 that says how to hold one', async () => {
    await deploy(h, 'slow', [{ delayMs: 5000, text: 'done' }]);
    const run = await h.rt.agents.run('slow', { message: 'go', stream: true });
    const iterator = run[Symbol.asyncIterator]();
    await until(iterator, (e) => e.type === 'status' && e.status === 'running');
    await expectApiError(run.deny('no'), 409, /not held before a tool call; deny\(\) skips a call .*approve/);
    await run.cancel();
  });
});

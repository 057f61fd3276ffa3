import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Project, project, REPO, scriptJson, startDev } from '../cli/helpers.js';

let p: Project;
let stop: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
  p?.cleanup();
});

const config = (status: string) => `import { defineConfig, defineTool } from 'runtools/config';
import { z } from 'zod';

export default defineConfig({
  sandbox: 'local',
  tools: {
    billing: {
      functions: [
        defineTool({
          name: 'lookup_invoice',
          description: 'Finds an invoice by its number',
          inputSchema: z.object({ number: z.string() }),
          execute: async ({ number }) => ({ number, status: '${status}' }),
        }),
      ],
    },
    gmail: { fixtures: './mail.json' },
  },
  runtimes: [
    { slug: 'bot', model: { provider: 'scripted', script: './bill.json' }, tools: ['billing'] },
    { slug: 'mailer', model: { provider: 'scripted', script: './mail-script.json' }, tools: ['gmail'] },
  ],
  deployments: [
    { apiSlug: 'bot', runtimeSlug: 'bot', templateSlug: 'base' },
    { apiSlug: 'mailer', runtimeSlug: 'mailer', templateSlug: 'base', approve: ['gmail__send_email'] },
  ],
});
`;

function setup(): Project {
  p = project({
    'runtools.config.ts': config('unpaid'),
    'bill.json': scriptJson([
      { toolCalls: [{ name: 'billing__lookup_invoice', input: { number: '1042' } }] },
      { text: 'looked it up' },
    ]),
    'mail.json': JSON.stringify({
      messages: [
        { id: 'm1', from: 'ops@acme.example', subject: 'Disk full on db-1', body: 'Please confirm.' },
      ],
    }),
    'mail-script.json': scriptJson([
      { toolCalls: [{ name: 'gmail__search_emails', input: { query: 'from:ops disk' } }] },
      {
        toolCalls: [
          {
            name: 'gmail__send_email',
            input: { to: 'ops@acme.example', subject: 'Re: Disk full on db-1', body: 'Confirmed.' },
          },
        ],
      },
      { text: 'replied' },
    ]),
  });
  // The config imports zod, as a project that has it installed does.
  symlinkSync(path.join(REPO, 'node_modules'), path.join(p.dir, 'node_modules'));
  return p;
}

describe('tools beyond the six in runtools dev', () => {
  it('a TypeScript tool from the config runs, and an edit to it applies to the next run', async () => {
    setup();
    const { dev, url, stop: end } = await startDev(p);
    stop = end;
    const first = await p.cli(['--base-url', url, 'run', 'bot', 'check invoice 1042', '--json']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /"type":"tool_result","tool":"billing__lookup_invoice","output":"\{\\n {2}\\"number\\": \\"1042\\",\\n {2}\\"status\\": \\"unpaid\\"/,
    );

    const mark = dev.stdout().length;
    writeFileSync(path.join(p.dir, 'runtools.config.ts'), config('paid'));
    await dev.waitFor(/config reloaded/, { from: mark });
    const second = await p.cli(['--base-url', url, 'run', 'bot', 'check invoice 1042', '--json']);
    expect(second.stdout).toContain('\\"status\\": \\"paid\\"');
  }, 120_000);

  it('a send held for approval is denied or approved at the terminal; the outbox shows what was sent', async () => {
    setup();
    const { url, stop: end } = await startDev(p);
    stop = end;
    const denied = p.spawn(['--base-url', url, 'run', 'mailer', 'answer ops']);
    await denied.waitFor(
      /gmail__send_email waits for your approval: press Enter to run it, type n and a reason/,
      {
        stream: 'stderr',
      },
    );
    // The held call's line is on stdout, the question on stderr: two pipes, either may come first.
    await denied.waitFor(/Re: Disk full on db-1/);
    denied.proc.stdin!.write('n not during the freeze\n');
    const deniedResult = await denied.exited;
    expect(deniedResult.code).toBe(0);
    expect(deniedResult.stdout).toMatch(
      /a person denied this call, so it did not run: not during the freeze/,
    );
    const empty = await p.cli(['--base-url', url, 'integrations', 'gmail', 'outbox']);
    expect(empty.stdout).toMatch(/gmail outbox is empty/);

    const approved = p.spawn(['--base-url', url, 'run', 'mailer', 'answer ops']);
    await approved.waitFor(/waits for your approval/, { stream: 'stderr' });
    approved.proc.stdin!.write('\n');
    const approvedResult = await approved.exited;
    expect(approvedResult.stdout).toMatch(/✉ gmail: sent "Re: Disk full on db-1" to ops@acme\.example/);
    const outbox = await p.cli(['--base-url', url, 'integrations', 'gmail', 'outbox']);
    expect(outbox.stdout).toMatch(/Re: Disk full on db-1 {2}→ ops@acme\.example {2}\(run run-/);
    const list = await p.cli(['--base-url', url, 'integrations']);
    expect(list.stdout).toMatch(
      /gmail \(stand-in\)[\s\S]*tools: gmail__send_email, gmail__search_emails, gmail__read_email/,
    );
  }, 120_000);

  it('a module a TypeScript tool imports is watched: editing it applies to the next run', async () => {
    setup();
    const helper = (status: string) =>
      `export const statusOf = (n: string): string => n === '1042' ? '${status}' : 'unknown';\n`;
    p.write('tools/status.ts', helper('unpaid'));
    p.write(
      'tools/billing.ts',
      `import { defineTool } from 'runtools/config';
import { z } from 'zod';
import { statusOf } from './status.ts';

export const lookupInvoice = defineTool({
  name: 'lookup_invoice',
  description: 'Finds an invoice by its number',
  inputSchema: z.object({ number: z.string() }),
  execute: async ({ number }) => ({ number, status: statusOf(number) }),
});
`,
    );
    p.write(
      'runtools.config.ts',
      config('unused')
        .replace(/functions: \[[\s\S]*?\],\n {4}\},/, 'functions: [lookupInvoice],\n    },')
        .replace("import { z } from 'zod';", "import { lookupInvoice } from './tools/billing.ts';"),
    );
    const { dev, url, stop: end } = await startDev(p);
    stop = end;
    const first = await p.cli(['--base-url', url, 'run', 'bot', 'check invoice 1042', '--json']);
    expect(first.stdout).toContain('\\"status\\": \\"unpaid\\"');

    const mark = dev.stdout().length;
    writeFileSync(path.join(p.dir, 'tools/status.ts'), helper('paid'));
    await dev.waitFor(/config reloaded/, { from: mark });
    const second = await p.cli(['--base-url', url, 'run', 'bot', 'check invoice 1042', '--json']);
    expect(second.stdout).toContain('\\"status\\": \\"paid\\"');
  }, 120_000);
});

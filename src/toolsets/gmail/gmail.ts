import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { GmailMessage, GmailOutboxEntry } from '../../api/types.js';
import type { IntegrationItems } from '../items.js';
import { type StandIn, type StandInSeed, standInTool } from '../stand-in.js';

const SENDER = 'me@runtools.local';

const fixtureMessage = z.strictObject({
  id: z.string().min(1).optional(),
  threadId: z.string().min(1).optional(),
  from: z.string().min(1),
  to: z.union([z.string(), z.array(z.string())]).default(SENDER),
  cc: z.array(z.string()).default([]),
  subject: z.string().default(''),
  body: z.string().default(''),
  date: z.string().optional(),
  labels: z.array(z.string()).default(['INBOX']),
});

const fixturesSchema = z.strictObject({
  messages: z.array(fixtureMessage, { error: 'messages is a list: {messages: [{from, subject, body}]}' }),
});

/** The mailbox a `runtools dev` with no fixtures file starts with. */
const BUILTIN_FIXTURES: z.input<typeof fixturesSchema> = {
  messages: [
    {
      id: 'msg_welcome',
      from: 'team@runtools.dev',
      subject: 'Welcome to the gmail stand-in',
      body: 'This mailbox is local: runtools keeps it in SQLite. Mail the agent sends goes to the outbox (GET /v1/integrations/gmail/outbox); nothing leaves this machine. Name your own fixtures file in runtools.config.ts: tools: { gmail: { fixtures: "./mail.json" } }.',
      date: '2026-01-05T09:00:00.000Z',
    },
    {
      id: 'msg_invoice',
      from: 'billing@acme.example',
      subject: 'Invoice #1042 is due',
      body: 'Hello, invoice #1042 for 1,200 EUR is due on Friday. Reply to this email if anything is unclear.',
      date: '2026-01-06T14:30:00.000Z',
      labels: ['INBOX', 'UNREAD'],
    },
  ],
};

const addresses = (value: string | string[]): string[] =>
  (Array.isArray(value) ? value : value.split(',')).map((a) => a.trim()).filter(Boolean);

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;
const addressList = z
  .string()
  .min(1, 'name at least one recipient')
  .refine((value) => addresses(value).every((a) => EMAIL.test(a.replace(/^.*<(.+)>$/, '$1'))), {
    error: 'use email addresses, separated by commas: "ann@example.com, bob@example.com"',
  });

function seed(fixtures: unknown, now: Date): StandInSeed {
  const parsed = fixturesSchema.parse(fixtures ?? BUILTIN_FIXTURES);
  return {
    mailbox: parsed.messages.map((m, index) => {
      const id = m.id ?? `msg_fixture_${index + 1}`;
      const date =
        m.date ?? new Date(now.getTime() - (parsed.messages.length - index) * 60_000).toISOString();
      const message: GmailMessage = {
        id,
        threadId: m.threadId ?? id,
        from: m.from,
        to: addresses(m.to),
        cc: m.cc,
        subject: m.subject,
        body: m.body,
        date,
        labels: m.labels,
      };
      return { id, data: message, createdAt: date };
    }),
  };
}

/** Every message: the mailbox and what was sent, newest first. */
function allMessages(items: IntegrationItems): GmailMessage[] {
  return [...items.list<GmailMessage>('mailbox'), ...items.list<GmailMessage>('outbox')]
    .map((item) => item.data)
    .sort((a, b) => b.date.localeCompare(a.date));
}

/** Gmail-like search: words and "quoted phrases" anywhere, plus from:, to:, subject:, in:, is:, label:. */
export function matches(message: GmailMessage, query: string): boolean {
  const terms = query.match(/(\w+:)?("[^"]*"|\S+)/g) ?? [];
  const has = (field: string, needle: string) => field.toLowerCase().includes(needle.toLowerCase());
  return terms.every((term) => {
    const [, op, raw] = /^(?:(\w+):)?(.*)$/.exec(term)!;
    const value = raw!.replace(/^"|"$/g, '');
    switch (op?.toLowerCase()) {
      case 'from':
        return has(message.from, value);
      case 'to':
        return [...message.to, ...message.cc].some((a) => has(a, value));
      case 'subject':
        return has(message.subject, value);
      case 'in':
        return value === 'anywhere' || message.labels.includes(value.toUpperCase());
      case 'is':
        return message.labels.includes(value.toUpperCase());
      case 'label':
        return message.labels.some((l) => l.toLowerCase() === value.toLowerCase());
      default:
        return [message.from, ...message.to, message.subject, message.body].some((f) =>
          has(f, term.replace(/^"|"$/g, '')),
        );
    }
  });
}

const snippet = (body: string) => (body.length > 120 ? `${body.slice(0, 117)}...` : body);

/** The gmail stand-in: send_email, search_emails, read_email over a local mailbox. */
export const gmail: StandIn = {
  name: 'gmail',
  description:
    'Gmail stand-in: a local mailbox in SQLite; sent mail goes to an outbox and never leaves the machine',
  fixturesSchema,
  seed,
  views: {
    outbox: (items): GmailOutboxEntry[] =>
      items
        .list<GmailMessage>('outbox')
        .map((item) => ({ ...item.data, runId: item.runId }))
        .reverse(),
    mailbox: (items): GmailMessage[] =>
      items
        .list<GmailMessage>('mailbox')
        .map((item) => item.data)
        .reverse(),
  },
  tools: [
    standInTool({
      name: 'send_email',
      description: 'Send an email. Returns the sent message id.',
      inputSchema: z.strictObject({
        to: addressList.describe('Recipient addresses, comma-separated'),
        subject: z.string().describe('Subject line'),
        body: z.string().describe('Plain-text body'),
        cc: addressList.optional().describe('Cc addresses, comma-separated'),
      }),
      execute(input, ctx) {
        const id = `msg_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
        const message: GmailMessage = {
          id,
          threadId: id,
          from: SENDER,
          to: addresses(input.to),
          cc: input.cc ? addresses(input.cc) : [],
          subject: input.subject,
          body: input.body,
          date: ctx.now().toISOString(),
          labels: ['SENT'],
        };
        ctx.items.put('outbox', { id, runId: ctx.runId, data: message, createdAt: message.date });
        ctx.emit({
          integration: 'gmail',
          action: 'send_email',
          summary: `sent "${message.subject}" to ${message.to.join(', ')} (stand-in: kept in the outbox, nothing left this machine)`,
          data: { id, to: message.to, cc: message.cc, subject: message.subject },
        });
        return { id, threadId: id, labelIds: ['SENT'] };
      },
    }),
    standInTool({
      name: 'search_emails',
      description:
        'Search the mailbox with Gmail query syntax: words, "phrases", from:, to:, subject:, in:inbox|sent, is:unread, label:. Returns matching messages, newest first.',
      inputSchema: z.strictObject({
        query: z.string().describe('Gmail search query, e.g. "from:billing invoice"'),
        max_results: z.number().int().min(1).max(100).default(10).describe('At most this many (default 10)'),
      }),
      execute(input, ctx) {
        const found = allMessages(ctx.items).filter((m) => matches(m, input.query));
        return {
          messages: found.slice(0, input.max_results).map((m) => ({
            id: m.id,
            threadId: m.threadId,
            from: m.from,
            to: m.to,
            subject: m.subject,
            date: m.date,
            snippet: snippet(m.body),
          })),
          resultSizeEstimate: found.length,
        };
      },
    }),
    standInTool({
      name: 'read_email',
      description: 'Read one email in full by its id (from search_emails).',
      inputSchema: z.strictObject({ id: z.string().min(1).describe('The message id') }),
      execute(input, ctx) {
        const item =
          ctx.items.get<GmailMessage>('mailbox', input.id) ?? ctx.items.get<GmailMessage>('outbox', input.id);
        if (!item) throw new Error(`no email with id "${input.id}"; find ids with search_emails`);
        return item.data;
      },
    }),
  ],
};

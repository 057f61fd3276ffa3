// A stdio MCP server standing for a real Gmail integration ("live" in a test): `send_email` appends
// what it would have sent to FAKE_MCP_LOG and answers with FAKE_TOKEN in its text (a real server can
// echo its credentials; runtools must redact them). FAKE_SEND_TOOL renames `send_email`, as a real
// server names its tools its own way, and FAKE_SEND_FIELDS=recipients gives it its own input
// shape ({recipients, subject, text}). Run: `node --import tsx test/fakes/mcp-gmail-server.ts`.
import { appendFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

const log = process.env.FAKE_MCP_LOG;
const server = new McpServer({ name: 'fake-live-gmail', version: '1.0.0' });
const sent = (to: string, subject: string) => {
  if (log) appendFileSync(log, `sent ${JSON.stringify({ to, subject })}\n`);
  return {
    content: [
      {
        type: 'text' as const,
        text: `live send ok: "${subject}" to ${to} (auth ${process.env.FAKE_TOKEN ?? 'unset'})`,
      },
    ],
  };
};
const description = 'Sends an email for real (in this fake: writes it to a log)';
const name = process.env.FAKE_SEND_TOOL ?? 'send_email';
if (process.env.FAKE_SEND_FIELDS === 'recipients') {
  // A real server's own input shape, unlike the stand-in's {to, subject, body}.
  server.registerTool(
    name,
    {
      description,
      inputSchema: z.object({
        recipients: z.array(z.string()).min(1),
        subject: z.string(),
        text: z.string(),
      }),
    },
    async ({ recipients, subject }) => sent(recipients.join(','), subject),
  );
} else {
  server.registerTool(
    name,
    { description, inputSchema: z.object({ to: z.string(), subject: z.string(), body: z.string() }) },
    async ({ to, subject }) => sent(to, subject),
  );
}
await server.connect(new StdioServerTransport());

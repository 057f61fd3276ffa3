// A stdio MCP server standing for a real Gmail integration ("live" in a test): `send_email` appends
// what it would have sent to FAKE_MCP_LOG and answers with FAKE_TOKEN in its text (a real server can
// echo its credentials; runtools must redact them). FAKE_SEND_TOOL renames `send_email`, as a real
// server names its tools its own way. Run: `node --import tsx test/fakes/mcp-gmail-server.ts`.
import { appendFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

const log = process.env.FAKE_MCP_LOG;
const server = new McpServer({ name: 'fake-live-gmail', version: '1.0.0' });
server.registerTool(
  process.env.FAKE_SEND_TOOL ?? 'send_email',
  {
    description: 'Sends an email for real (in this fake: writes it to a log)',
    inputSchema: z.object({ to: z.string(), subject: z.string(), body: z.string() }),
  },
  async ({ to, subject }) => {
    if (log) appendFileSync(log, `sent ${JSON.stringify({ to, subject })}\n`);
    return {
      content: [
        {
          type: 'text',
          text: `live send ok: "${subject}" to ${to} (auth ${process.env.FAKE_TOKEN ?? 'unset'})`,
        },
      ],
    };
  },
);
await server.connect(new StdioServerTransport());

// A stdio MCP server for tests, run as a child process: `node --import tsx test/fakes/mcp-stdio-server.ts`.
// FAKE_MCP_LOG names a file it appends what it saw to (its pid on start).
import { appendFileSync } from 'node:fs';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { fakeMcpServer } from './mcp-tools.js';

const log = process.env.FAKE_MCP_LOG;
if (log) appendFileSync(log, `started ${process.pid}\n`);
process.stderr.write(`fake mcp server ${process.pid} up (token ${process.env.FAKE_TOKEN ?? 'unset'})\n`);
const server = fakeMcpServer({
  log,
  crash: () => {
    process.stderr.write('fake mcp server: crashing on purpose\n');
    process.exit(3);
  },
});
await server.connect(new StdioServerTransport());

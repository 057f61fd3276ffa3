import { appendFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

/**
 * The tools of the fake MCP servers (stdio and streamable HTTP), made with the official server SDK:
 * `echo`, `add`, `whoami` (shows an env var, to test secret redaction), `crash` (the server dies
 * mid-call), `hang` (never answers; a cancel is written to the log), `slow` (answers after `ms`).
 * `log` is a file each event is appended to, one line each, so a test can see what the server saw.
 */
export function fakeMcpServer(options: { log?: string; crash: () => void }): McpServer {
  const note = (line: string) => {
    if (options.log) appendFileSync(options.log, `${line}\n`);
  };
  const server = new McpServer({ name: 'fake-mcp', version: '1.0.0' });
  server.registerTool(
    'echo',
    { description: 'Echoes its text back', inputSchema: z.object({ text: z.string() }) },
    async ({ text }) => {
      note(`echo ${text}`);
      return { content: [{ type: 'text', text: `echo: ${text}` }] };
    },
  );
  server.registerTool(
    'add',
    { description: 'Adds two numbers', inputSchema: z.object({ a: z.number(), b: z.number() }) },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
  );
  server.registerTool(
    'whoami',
    { description: 'Shows the FAKE_TOKEN environment variable', inputSchema: z.object({}) },
    async () => ({ content: [{ type: 'text', text: `token=${process.env.FAKE_TOKEN ?? '(unset)'}` }] }),
  );
  server.registerTool('fail', { description: 'A tool error', inputSchema: z.object({}) }, async () => ({
    content: [{ type: 'text', text: 'the fake tool failed on purpose' }],
    isError: true,
  }));
  server.registerTool('crash', { description: 'Dies mid-call', inputSchema: z.object({}) }, async () => {
    note('crash');
    options.crash();
    return new Promise(() => {});
  });
  server.registerTool(
    'hang',
    { description: 'Never answers', inputSchema: z.object({}) },
    async (_args, ctx) => {
      note('hang started');
      const signal = (ctx as { mcpReq?: { signal?: AbortSignal } }).mcpReq?.signal;
      return new Promise((_resolve, reject) => {
        signal?.addEventListener('abort', () => {
          note('hang cancelled');
          reject(new Error('cancelled'));
        });
      });
    },
  );
  return server;
}

/**
 * MCP through runtools vs a direct official-client call (the floor), against the stdio fake server:
 * the first call of a run (the server starts: spawn, initialize, tools/list, the call) and later
 * calls (the server is shared, so a call is one tools/call round trip plus runtools' layer).
 */
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { openStore } from '../src/store/store.js';
import { ToolsetRegistry } from '../src/toolsets/registry.js';
import { tempDir } from '../test/helpers/tmp.js';
import { measure, printTable, type Row } from './lib.js';

const SERVER = {
  command: process.execPath,
  args: ['--import', 'tsx', path.resolve(import.meta.dirname, '../test/fakes/mcp-stdio-server.ts')],
};
const STARTS = 5;
const CALLS = 200;

async function directClient(): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ ...SERVER, stderr: 'pipe' }));
  return client;
}

export async function main(): Promise<void> {
  const tmp = tempDir('runtools-bench-');
  const store = openStore(tmp.dir);
  const signal = new AbortController().signal;
  const callCtx = { runId: 'bench', signal, secrets: {}, emit: () => {} };
  const rows: Row[] = [];
  let registry: ToolsetRegistry | undefined;
  try {
    // First call: a fresh server each time.
    rows.push(
      await measure('first call, direct client (spawn+initialize+call)', STARTS, async () => {
        const client = await directClient();
        await client.callTool({ name: 'echo', arguments: { text: 'x' } });
        await client.close();
      }),
    );
    rows.push(
      await measure('first call, through runtools (start+list+call)', STARTS, async () => {
        const fresh = new ToolsetRegistry(store.db);
        fresh.configure({ fake: { kind: 'mcp', server: SERVER, timeoutMs: 60_000 } });
        const toolbox = await fresh.open(['fake'], { secrets: {}, signal });
        await toolbox.execute('fake__echo', { text: 'x' }, callCtx);
        await fresh.close();
      }),
    );
    // Later calls: one running server.
    const client = await directClient();
    rows.push(
      await measure('later call, direct client', CALLS, () =>
        client.callTool({ name: 'echo', arguments: { text: 'x' } }),
      ),
    );
    await client.close();
    registry = new ToolsetRegistry(store.db);
    registry.configure({ fake: { kind: 'mcp', server: SERVER, timeoutMs: 60_000 } });
    const shared = registry;
    rows.push(
      await measure('later call, through runtools (open toolbox + call)', CALLS, async () => {
        const toolbox = await shared.open(['fake'], { secrets: {}, signal });
        await toolbox.execute('fake__echo', { text: 'x' }, callCtx);
      }),
    );
    printTable('MCP stdio: runtools vs a direct client call', rows);
  } finally {
    await registry?.close();
    store.close();
    tmp.cleanup();
  }
}

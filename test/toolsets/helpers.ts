import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { type SyncNote, syncConfig } from '../../src/config/sync.js';
import type { Harness } from '../helpers/transports.js';

/** The stdio fake MCP server, as a config's `mcp` entry runs it. */
export const STDIO_SERVER = {
  command: process.execPath,
  args: ['--import', 'tsx', path.resolve('test/fakes/mcp-stdio-server.ts')],
};

/** Writes runtools.config.ts into the harness's project, loads and syncs it (as `runtools dev` does). */
export async function applyConfig(h: Harness, source: string): Promise<SyncNote[]> {
  const file = path.join(h.projectDir, 'runtools.config.ts');
  writeFileSync(file, source);
  const notes = syncConfig(h.engine, await loadConfig(file), { defaultSandbox: 'local' });
  const failed = notes.filter((n) => n.kind === 'failed' || n.kind === 'clash');
  if (failed.length > 0) throw new Error(`config sync failed: ${JSON.stringify(failed)}`);
  return notes;
}

/** Lines a fake MCP server appended to its log file. */
export const logLines = (file: string): string[] =>
  existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];

/** Waits (polling, bounded) until `check` holds; for effects in another process. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

import path from 'node:path';
import pc from 'picocolors';
import { RunToolsError } from '../api/errors.js';
import { createLocalEngine } from '../engine/create.js';
import { DEFAULT_BASE_URL, RunTools } from '../sdk/client.js';
import { readKey } from '../server/auth.js';
import { ConfigSession } from './config-session.js';
import { type GlobalOptions, projectPaths } from './project-paths.js';
import { readServerRecord, type ServerRecord } from './server-record.js';

export { CONFIG_FILE, type GlobalOptions, projectPaths } from './project-paths.js';

/** How a command reaches runtools: a server (and which), or an engine in this process. */
export type Connection =
  | { rt: RunTools; mode: 'server'; baseUrl: string; server: ServerRecord | undefined }
  | { rt: RunTools; mode: 'local'; dataDir: string };

/**
 * A client for commands. In order: `--base-url` (it must answer); RUNTOOLS_BASE_URL; the
 * `runtools dev` serving this project's data dir, found by the record it keeps there (any port);
 * http://127.0.0.1:4400; else an in-process engine on the same data dir, with the project's config
 * synced into it first (as `runtools dev` would) so a fresh checkout runs without a server.
 */
export async function connect(options: GlobalOptions): Promise<Connection> {
  const { projectDir, dataDir, configPath } = projectPaths(options);
  if (options.baseUrl) {
    if (!(await isUp(options.baseUrl, 5_000)))
      throw new Error(`no runtools server answers at ${options.baseUrl}; start it with "npx runtools dev"`);
    return server(options.baseUrl, dataDir, undefined);
  }
  const record = readServerRecord(dataDir);
  const envUrl = process.env.RUNTOOLS_BASE_URL;
  if (envUrl && (await isUp(envUrl))) return server(envUrl, dataDir, sameServer(record, envUrl));
  if (record && (await isUp(record.url, 3_000))) return server(record.url, dataDir, record);
  if (!envUrl && (await isUp(DEFAULT_BASE_URL)))
    return server(DEFAULT_BASE_URL, dataDir, sameServer(record, DEFAULT_BASE_URL));
  const engine = await createLocalEngine({ dataDir, projectDir }).catch((error: unknown) => {
    throw lockedBy(error, dataDir, record);
  });
  if (configPath) {
    const session = new ConfigSession(engine, configPath, {
      out: (line) => process.stderr.write(`${line}\n`),
      color: pc.isColorSupported,
      quiet: true,
    });
    await session.load();
  }
  return { rt: new RunTools(engine, () => engine.close()), mode: 'local', dataDir };
}

function server(baseUrl: string, dataDir: string, record: ServerRecord | undefined): Connection {
  // The key of the server found through its record is the one it named; else this data dir's.
  const apiKey =
    process.env.RUNTOOLS_API_KEY ??
    (record?.keyFile ? readKey(path.dirname(record.keyFile)) : undefined) ??
    readKey(dataDir);
  return { rt: new RunTools({ baseUrl, apiKey }), mode: 'server', baseUrl, server: record };
}

const sameServer = (record: ServerRecord | undefined, url: string) =>
  record && trimSlash(record.url) === trimSlash(url) ? record : undefined;
const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** The data dir is held by a server that did not answer: say which, and where it said it listens. */
function lockedBy(error: unknown, dataDir: string, record: ServerRecord | undefined): unknown {
  if (!(error instanceof RunToolsError) || error.type !== 'conflict') return error;
  const where = record
    ? `runtools dev (pid ${record.pid}) holds the data dir ${dataDir} and listens on ${record.url}, but it did not answer; wait for it, or pass --base-url ${record.url}, or stop it (Ctrl-C in its terminal)`
    : `${error.message}. If that is a runtools dev server on another address, pass --base-url <its URL>`;
  return new RunToolsError('conflict', where);
}

async function isUp(baseUrl: string, timeoutMs = 500): Promise<boolean> {
  try {
    const response = await fetch(`${trimSlash(baseUrl)}/v1/health`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response.ok;
  } catch {
    return false;
  }
}

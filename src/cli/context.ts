import { existsSync } from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { resolveDataDir } from '../config/paths.js';
import { createLocalEngine } from '../engine/create.js';
import { DEFAULT_BASE_URL, RunTools } from '../sdk/client.js';
import { readKey } from '../server/auth.js';
import { ConfigSession } from './config-session.js';

/** The options every command shares. */
export interface GlobalOptions {
  config?: string;
  dataDir?: string;
  baseUrl?: string;
}

export const CONFIG_FILE = 'runtools.config.ts';

/** Where the project is: the config file's folder, else the current directory. */
export function projectPaths(options: GlobalOptions): {
  projectDir: string;
  configPath: string | undefined;
  dataDir: string;
} {
  const configPath = options.config
    ? path.resolve(options.config)
    : existsSync(path.resolve(CONFIG_FILE))
      ? path.resolve(CONFIG_FILE)
      : undefined;
  const projectDir = configPath ? path.dirname(configPath) : process.cwd();
  return {
    projectDir,
    configPath,
    dataDir: resolveDataDir({ flag: options.dataDir, env: process.env, projectDir }),
  };
}

/**
 * A client for commands: the running `runtools dev` server when one answers, else an in-process
 * engine on the same data dir, with the project's config synced into it first (as `runtools dev`
 * would) so a fresh checkout can run its deployments without starting a server.
 */
export async function connect(options: GlobalOptions): Promise<{ rt: RunTools; mode: 'server' | 'local' }> {
  const { projectDir, dataDir, configPath } = projectPaths(options);
  const baseUrl = options.baseUrl ?? process.env.RUNTOOLS_BASE_URL ?? DEFAULT_BASE_URL;
  // Named on purpose (--base-url): wait longer for it, a busy machine can take over 500 ms to answer.
  if (await isUp(baseUrl, options.baseUrl ? 5_000 : 500)) {
    return {
      rt: new RunTools({ baseUrl, apiKey: process.env.RUNTOOLS_API_KEY ?? readKey(dataDir) }),
      mode: 'server',
    };
  }
  if (options.baseUrl)
    throw new Error(`no runtools server answers at ${options.baseUrl}; start it with "npx runtools dev"`);
  const engine = await createLocalEngine({ dataDir, projectDir });
  if (configPath) {
    const session = new ConfigSession(engine, configPath, {
      out: (line) => process.stderr.write(`${line}\n`),
      color: pc.isColorSupported,
      quiet: true,
    });
    await session.load();
  }
  return { rt: new RunTools(engine, () => engine.close()), mode: 'local' };
}

async function isUp(baseUrl: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/v1/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok;
  } catch {
    return false;
  }
}

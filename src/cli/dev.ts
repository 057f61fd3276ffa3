import { Command, InvalidArgumentError, Option } from 'commander';
import { loadOrCreateKey } from '../server/auth.js';
import { listen } from '../server/listener.js';
import { type GlobalOptions, projectPaths } from './project-paths.js';

// Only what opens the port is imported here; the engine, the routes and the config session load
// from dev-server.ts once the port is open.

export interface DevOptions {
  port: number;
  host: string;
  sandbox?: 'docker' | 'local';
  allowHost: string[];
  warm: number;
  live: string[];
}

const DEFAULT_PORT = '4400';

/** `--port`: a number from 0 (any free port) to 65535, said in words when it is not. */
export function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port > 65535)
    throw new InvalidArgumentError(
      `"${text}" is not a port number; use 1 to 65535 (or 0 for any free port), like --port 4471`,
    );
  return port;
}

/** `--warm`: how many warm containers per kind, 0 to 8. */
function parseWarm(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n > 8)
    throw new InvalidArgumentError(
      `"${text}" is not a count of warm containers; use 0 (off) to 8, like --warm 2`,
    );
  return n;
}

/** `--live gmail --live linear` or `--live gmail,linear`: every name, once. */
export function collectNames(value: string, previous: string[]): string[] {
  const names = value
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  if (names.length === 0)
    throw new InvalidArgumentError('name a toolset, like --live gmail (or several: --live gmail,linear)');
  return [...new Set([...previous, ...names])];
}

export function devCommand(global: () => GlobalOptions): Command {
  const port = process.env.RUNTOOLS_PORT ?? DEFAULT_PORT;
  return new Command('dev')
    .description(
      'run the local RunTools API server, syncing and hot-reloading runtools.config.ts and its prompt files',
    )
    .addOption(
      new Option('--port <port>', 'port to listen on; 0 picks a free one (env: RUNTOOLS_PORT)')
        .default(parsePort(port), port)
        .argParser(parsePort),
    )
    .option(
      '--host <host>',
      'address to listen on; keep it loopback unless others must reach it',
      '127.0.0.1',
    )
    .addOption(
      new Option(
        '--sandbox <kind>',
        'sandbox of deployments that do not choose one (default: the config\'s "sandbox", else docker)',
      ).choices(['docker', 'local']),
    )
    .addOption(
      new Option(
        '--warm <n>',
        'Docker containers kept started ahead per kind of run (template, mounts, limits), so a run starts in one; 0 turns it off',
      )
        .default(1)
        .argParser(parseWarm),
    )
    .option(
      '--allow-host <name...>',
      'Host header names to accept besides localhost/127.0.0.1 (needed when others reach it by name)',
      [],
    )
    .option(
      '--live <toolset>',
      "use this integration's real provider (its live: {...} in runtools.config.ts) instead of the stand-in; repeat or use commas",
      collectNames,
      [],
    )
    .action(async (options: DevOptions) => {
      const { projectDir, dataDir, configPath } = projectPaths(global());
      if (options.live.length > 0 && !configPath) {
        throw new Error(
          `--live ${options.live.join(',')}: there is no runtools.config.ts here to say what is live; add one with tools: { ${options.live[0]}: { live: { mcp: { command, args } } } }, or drop --live`,
        );
      }
      const key = loadOrCreateKey(dataDir, process.env);
      // The port opens first, before the engine's modules load: a client that connects while they
      // do waits for its answer instead of being refused. Nothing is answered before the API works.
      const listener = await listen(options.host, options.port).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') {
          throw new Error(
            `port ${options.port} on ${options.host} is in use (another runtools dev? "runtools doctor" tells); stop it or pick another with --port`,
          );
        }
        throw error;
      });
      const { serveDev } = await import('./dev-server.js').catch(async (error: unknown) => {
        await listener.fail(notStarted(error));
        throw error;
      });
      await serveDev({ options, listener, key, projectDir, dataDir, configPath });
    });
}

/** What requests held while `runtools dev` started are told when it could not. */
export function notStarted(error: unknown): string {
  return `runtools dev did not start: ${error instanceof Error ? error.message : String(error)}; see its terminal`;
}

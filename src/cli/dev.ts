import { Command, InvalidArgumentError, Option } from 'commander';
import pc from 'picocolors';
import { displayPath } from '../config/errors.js';
import { createLocalEngine } from '../engine/create.js';
import type { Engine, RunLifecycle } from '../engine/engine.js';
import { isLoopbackHost, loadOrCreateKey } from '../server/auth.js';
import { createPromptFileWriter } from '../server/prompt-file.js';
import { startServer } from '../server/server.js';
import { formatVersionMade } from './config-report.js';
import { ConfigSession } from './config-session.js';
import { type GlobalOptions, projectPaths } from './context.js';
import { duration } from './render/text.js';
import { removeServerRecord, writeServerRecord } from './server-record.js';

interface DevOptions {
  port: number;
  host: string;
  sandbox?: 'docker' | 'local';
  allowHost: string[];
  warm: number;
  live: string[];
}

const DEFAULT_PORT = '4400';
/** How long streams of runs the shutdown interrupted get to send their last event. */
const SHUTDOWN_GRACE_MS = 2_000;

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
      const engine = await createLocalEngine({
        dataDir,
        projectDir,
        defaultSandbox: options.sandbox,
        warm: { perKey: options.warm, max: Math.max(4, 2 * options.warm) },
        parts: { live: options.live },
      });
      let session: ConfigSession | undefined;
      // The studio's "save to the prompt file": only files the loaded config names as a runtime's prompt.
      const promptFiles = createPromptFileWriter((slug) => {
        const runtime = session?.loaded?.runtimes.find((r) => r.slug === slug);
        if (!runtime) return { kind: 'not-in-config' };
        if (!runtime.promptFile) return { kind: 'inline' };
        return { kind: 'file', file: runtime.promptFile, display: displayPath(runtime.promptFile) };
      });
      const server = await startServer({
        api: engine,
        key: key.value,
        host: options.host,
        port: options.port,
        allowedHosts: options.allowHost,
        promptFiles: configPath ? promptFiles : undefined,
        keyHint:
          key.source === 'env'
            ? 'the RUNTOOLS_API_KEY this server was started with'
            : `RUNTOOLS_API_KEY or the key in ${key.source}`,
      }).catch(async (error: NodeJS.ErrnoException) => {
        await engine.close();
        if (error.code === 'EADDRINUSE') {
          throw new Error(
            `port ${options.port} on ${options.host} is in use (another runtools dev? "runtools doctor" tells); stop it or pick another with --port`,
          );
        }
        throw error;
      });
      engine.setBaseUrl(server.url);
      writeServerRecord(dataDir, {
        url: server.url,
        pid: process.pid,
        keyFile: key.source === 'env' ? null : key.source,
        configFile: configPath ?? null,
        startedAt: new Date().toISOString(),
      });
      const color = pc.isColorSupported;
      session = configPath
        ? new ConfigSession(engine, configPath, {
            sandboxFlag: options.sandbox,
            out: (line) => console.log(line),
            color,
            live: options.live,
          })
        : undefined;
      // The config goes in before the listing below, so the counts include it.
      const loaded = await session?.load();
      if (!loaded && options.live.length > 0) {
        // What is live must be known before anything runs: no stand-in serves in its place.
        console.error(
          pc.red(
            `runtools dev: not started: --live ${options.live.join(',')} needs a config that loads (see above)`,
          ),
        );
        await server.close(0);
        await engine.close();
        removeServerRecord(dataDir);
        process.exit(2);
      }
      logVersions(engine, color);
      engine.onRun((change) => console.log(runLine(change)));
      const [runtimes, deployments, templates] = await Promise.all([
        engine.runtimes.list(),
        engine.deployments.list(),
        engine.templates.list(),
      ]);
      console.log(`${pc.green('runtools dev')} listening on ${pc.bold(server.url)}`);
      // The key rides in the fragment: the browser never sends it to the server, the page keeps it.
      console.log(`  studio:    ${pc.bold(`${server.url}/#key=${encodeURIComponent(key.value)}`)}`);
      console.log(`  API key:   ${key.source === 'env' ? 'RUNTOOLS_API_KEY' : key.source}`);
      console.log(`  data dir:  ${dataDir}`);
      console.log(
        `  config:    ${configPath ?? '(none: no runtools.config.ts here; "runtools init" writes one)'}`,
      );
      console.log(
        `  loaded:    ${runtimes.length} runtimes, ${deployments.length} deployments, ${templates.length} templates`,
      );
      console.log(
        `  integrations: ${session?.integrations() ?? (engine.toolsets?.describe() ?? []).join(', ')}`,
      );
      if (!isLoopbackHost(options.host)) console.log(pc.yellow(exposure(options, server.url)));
      const first = deployments[0];
      console.log(
        pc.dim(
          first
            ? `try: runtools run ${first.apiSlug} "hello"   (in another terminal, in this folder: it finds this server)`
            : 'try: runtools init (in an empty folder), or add a deployment to runtools.config.ts',
        ),
      );
      if (session) {
        await session.watch();
        console.log(pc.dim('watching the config and its prompt files; edits apply on save'));
      }
      // After the listing: the server answers first, the containers start behind it.
      engine.prewarm();
      const stop = async () => {
        console.log(pc.dim('\nstopping...'));
        await session?.close();
        // Runs still going end `interrupted`, and their followers get that last event before the
        // connections close.
        await engine.interruptRuns();
        await server.close(SHUTDOWN_GRACE_MS);
        await engine.close();
        removeServerRecord(dataDir);
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

/** Every version made outside the config sync (the API, a rollback, a run), with its diff. */
function logVersions(engine: Engine, color: boolean): void {
  engine.onVersion((version) => {
    const source = engine.store.runtimes.get(version.runtimeSlug)?.source;
    // The config sync prints its own notes for what it made.
    if (version.reason === 'config' || (version.reason === 'create' && source === 'config')) return;
    const previous =
      version.version > 1
        ? engine.runtimeService.version(version.runtimeSlug, version.version - 1)
        : undefined;
    console.log(formatVersionMade(version, previous, color));
  });
}

function runLine({ kind, run, reason }: RunLifecycle): string {
  const head = `${pc.dim(new Date().toLocaleTimeString('en-GB'))} run ${run.id} ${pc.bold(run.deployment)}`;
  if (kind === 'started') return `${head} ${pc.cyan('started')} (${run.runtimeSlug} v${run.runtimeVersion})`;
  if (kind === 'paused') return `${head} ${pc.yellow('paused')}${reason ? `: ${reason}` : ''}`;
  if (kind === 'resumed') return `${head} ${pc.cyan('resumed')}`;
  const paint = run.status === 'completed' ? pc.green : run.status === 'cancelled' ? pc.yellow : pc.red;
  return `${head} ${paint(run.status)} in ${duration(run.durationMs)}${run.error ? `: ${run.error}` : ''}`;
}

/** What listening beyond loopback exposes, and what --allow-host is for. */
function exposure(options: DevOptions, url: string): string {
  return [
    `! listening on ${options.host}: other machines that reach this one can call the API at ${url.replace(options.host, '<this machine>')} with the API key, and runs execute tools here.`,
    `  Requests must still name a loopback Host (a guard against DNS rebinding); to let others in by a name or address, add it: --allow-host <name> ${options.allowHost.length ? `(allowed now: ${options.allowHost.join(', ')})` : '(none allowed now)'}.`,
  ].join('\n');
}

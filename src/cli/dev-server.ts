import pc from 'picocolors';
import { displayPath } from '../config/errors.js';
import { createLocalEngine } from '../engine/create.js';
import type { Engine, RunLifecycle } from '../engine/engine.js';
import { isLoopbackHost, type loadOrCreateKey } from '../server/auth.js';
import type { Listener } from '../server/listener.js';
import { createPromptFileWriter } from '../server/prompt-file.js';
import { startServer } from '../server/server.js';
import type { ConfigSession } from './config-session.js';
import { type DevOptions, notStarted } from './dev.js';
import { duration } from './render/text.js';
import { removeServerRecord, writeServerRecord } from './server-record.js';

/** How long streams of runs the shutdown interrupted get to send their last event. */
const SHUTDOWN_GRACE_MS = 2_000;

export interface DevStart {
  options: DevOptions;
  /** The port `runtools dev` opened first; it holds requests until the engine serves them. */
  listener: Listener;
  key: ReturnType<typeof loadOrCreateKey>;
  projectDir: string;
  dataDir: string;
  configPath: string | undefined;
}

/** The rest of `runtools dev` once its port is open: the engine, the API on the port, the config. */
export async function serveDev({ options, listener, key, projectDir, dataDir, configPath }: DevStart) {
  const engine = await createLocalEngine({
    dataDir,
    projectDir,
    defaultSandbox: options.sandbox,
    warm: { perKey: options.warm, max: Math.max(4, 2 * options.warm) },
    parts: { live: options.live },
  }).catch(async (error: unknown) => {
    await listener.fail(notStarted(error));
    throw error;
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
    listener,
    allowedHosts: options.allowHost,
    promptFiles: configPath ? promptFiles : undefined,
    keyHint:
      key.source === 'env'
        ? 'the RUNTOOLS_API_KEY this server was started with'
        : `RUNTOOLS_API_KEY or the key in ${key.source}`,
  }).catch(async (error: unknown) => {
    await listener.fail(notStarted(error));
    await engine.close();
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
  // Loaded only with a config: the config loader, its watcher and the diff printer.
  session = configPath
    ? new (await import('./config-session.js')).ConfigSession(engine, configPath, {
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
  await logVersions(engine, color);
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
  console.log(`  integrations: ${session?.integrations() ?? (engine.toolsets?.describe() ?? []).join(', ')}`);
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
}

/** Every version made outside the config sync (the API, a rollback, a run), with its diff. */
async function logVersions(engine: Engine, color: boolean): Promise<void> {
  // The diff printer (and the diff library) load after the port answers.
  const { formatVersionMade } = await import('./config-report.js');
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

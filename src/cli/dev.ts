import { Command, Option } from 'commander';
import pc from 'picocolors';
import { displayPath } from '../config/errors.js';
import { createLocalEngine } from '../engine/create.js';
import { loadOrCreateKey } from '../server/auth.js';
import { createPromptFileWriter } from '../server/prompt-file.js';
import { startServer } from '../server/server.js';
import { ConfigSession } from './config-session.js';
import { type GlobalOptions, projectPaths } from './context.js';

interface DevOptions {
  port: string;
  host: string;
  sandbox?: 'docker' | 'local';
  allowHost: string[];
}

export function devCommand(global: () => GlobalOptions): Command {
  return new Command('dev')
    .description('run the local RunTools API server on 127.0.0.1:4400')
    .option('--port <port>', 'port to listen on', process.env.RUNTOOLS_PORT ?? '4400')
    .option('--host <host>', 'address to listen on (keep it loopback unless you know why)', '127.0.0.1')
    .addOption(
      new Option('--sandbox <kind>', 'default sandbox for deployments that do not choose').choices([
        'docker',
        'local',
      ]),
    )
    .option('--allow-host <name...>', 'extra Host header names to accept besides loopback ones', [])
    .action(async (options: DevOptions) => {
      const { projectDir, dataDir, configPath } = projectPaths(global());
      const key = loadOrCreateKey(dataDir, process.env);
      const engine = await createLocalEngine({ dataDir, projectDir, defaultSandbox: options.sandbox });
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
        port: Number(options.port),
        allowedHosts: options.allowHost,
        promptFiles: configPath ? promptFiles : undefined,
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
      const color = pc.isColorSupported;
      session = configPath
        ? new ConfigSession(engine, configPath, {
            sandboxFlag: options.sandbox,
            out: (line) => console.log(line),
            color,
          })
        : undefined;
      // The config goes in before the listing below, so the counts include it.
      await session?.load();
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
      console.log(`  config:    ${configPath ?? '(none: no runtools.config.ts here)'}`);
      console.log(
        `  loaded:    ${runtimes.length} runtimes, ${deployments.length} deployments, ${templates.length} templates`,
      );
      if (session) {
        await session.watch();
        console.log(pc.dim('watching the config and its prompt files; edits apply on save'));
      }
      const stop = async () => {
        console.log(pc.dim('\nstopping...'));
        await session?.close();
        await server.close();
        await engine.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

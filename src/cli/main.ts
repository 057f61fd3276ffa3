import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import { RunToolsError } from '../api/errors.js';
import { packageRoot } from '../config/paths.js';
import { type GlobalOptions, projectPaths } from './project-paths.js';

const program = new Command('runtools')
  .description('the local, offline twin of the RunTools agent platform')
  .option('--config <file>', 'the project config (default: ./runtools.config.ts)')
  .option(
    '--data-dir <dir>',
    'where runs and versions are kept (default: .runtools/ beside the config, or RUNTOOLS_DATA_DIR)',
  )
  .option(
    '--base-url <url>',
    'the runtools server to talk to (default: RUNTOOLS_BASE_URL, else the runtools dev serving this data dir, else http://127.0.0.1:4400, else in-process)',
  )
  .addHelpText('after', '\n"runtools --version" (or -V) prints the version.')
  .showHelpAfterError();

function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
    .version;
}

/** `--version` among the global options, before any command (whose own --version means something else). */
function asksVersion(args: string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--version' || arg === '-V') return true;
    if (['--config', '--data-dir', '--base-url'].includes(arg)) i++;
    else if (!arg.startsWith('--')) return false;
  }
  return false;
}

const global = (): GlobalOptions => program.opts<GlobalOptions>();

// Each command's module is imported only when that command runs: `runtools dev` must not compile
// the code of the other thirteen (and what they import) before its port opens. Help, a typo (for
// commander's "did you mean"), or no command at all loads them all.
const commands: Record<string, () => Promise<Command>> = {
  init: async () => (await import('./init.js')).initCommand(),
  dev: async () => (await import('./dev.js')).devCommand(global),
  runtimes: async () => (await import('./runtimes.js')).runtimesCommand(global),
  run: async () => (await import('./run.js')).runCommand(global),
  runs: async () => (await import('./runs.js')).runsCommand(global),
  replay: async () => (await import('./replay.js')).replayCommand(global),
  rerun: async () => (await import('./rerun.js')).rerunCommand(global),
  templates: async () =>
    (await import('./templates.js')).templatesCommand({
      projectDir: () => projectPaths(global()).projectDir,
    }),
  workspaces: async () => (await import('./workspaces.js')).workspacesCommand(global),
  doctor: async () => (await import('./doctor.js')).doctorCommand(global),
  setup: async () => (await import('./setup.js')).setupCommand(),
  integrations: async () => (await import('./integrations.js')).integrationsCommand(global),
  eval: async () => (await import('./eval.js')).evalCommand(global),
  evals: async () => (await import('./evals.js')).evalsCommand(global),
};

/** The command the arguments name (after the global options), when it is one of ours. */
function namedCommand(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (['--config', '--data-dir', '--base-url'].includes(arg)) i++;
    else if (!arg.startsWith('-')) return Object.hasOwn(commands, arg) ? arg : undefined;
  }
  return undefined;
}

async function addCommands(args: string[]): Promise<void> {
  const named = namedCommand(args);
  const names = named ? [named] : Object.keys(commands);
  for (const command of await Promise.all(names.map((name) => commands[name]!())))
    program.addCommand(command);
}

try {
  // Only as the first argument: commander's own --version would also catch "runtools runtimes show x --version 2".
  if (asksVersion(process.argv.slice(2))) process.stdout.write(`${packageVersion()}\n`);
  else {
    await addCommands(process.argv.slice(2));
    await program.parseAsync(process.argv);
  }
} catch (error) {
  const message = error instanceof RunToolsError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`${pc.red('error:')} ${message}\n`);
  if (process.env.RUNTOOLS_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
}

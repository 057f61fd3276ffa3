import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import { RunToolsError } from '../api/errors.js';
import { packageRoot } from '../config/paths.js';
import { type GlobalOptions, projectPaths } from './context.js';
import { devCommand } from './dev.js';
import { doctorCommand } from './doctor.js';
import { evalCommand } from './eval.js';
import { evalsCommand } from './evals.js';
import { initCommand } from './init.js';
import { integrationsCommand } from './integrations.js';
import { replayCommand } from './replay.js';
import { rerunCommand } from './rerun.js';
import { runCommand } from './run.js';
import { runsCommand } from './runs.js';
import { runtimesCommand } from './runtimes.js';
import { setupCommand } from './setup.js';
import { templatesCommand } from './templates.js';
import { workspacesCommand } from './workspaces.js';

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

program.addCommand(initCommand());
program.addCommand(devCommand(global));
program.addCommand(runtimesCommand(global));
program.addCommand(runCommand(global));
program.addCommand(runsCommand(global));
program.addCommand(replayCommand(global));
program.addCommand(rerunCommand(global));
program.addCommand(templatesCommand({ projectDir: () => projectPaths(global()).projectDir }));
program.addCommand(workspacesCommand(global));
program.addCommand(doctorCommand(global));
program.addCommand(setupCommand());
program.addCommand(integrationsCommand(global));
program.addCommand(evalCommand(global));
program.addCommand(evalsCommand(global));

try {
  // Only as the first argument: commander's own --version would also catch "runtools runtimes show x --version 2".
  if (asksVersion(process.argv.slice(2))) process.stdout.write(`${packageVersion()}\n`);
  else await program.parseAsync(process.argv);
} catch (error) {
  const message = error instanceof RunToolsError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`${pc.red('error:')} ${message}\n`);
  if (process.env.RUNTOOLS_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
}

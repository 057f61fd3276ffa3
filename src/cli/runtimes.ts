import { Command } from 'commander';
import pc from 'picocolors';
import { modelLabel } from '../api/model-names.js';
import { connect, type GlobalOptions } from './context.js';
import { colorDiff, diffVersions, versionText } from './version-diff.js';

export function runtimesCommand(global: () => GlobalOptions): Command {
  const command = new Command('runtimes').description('list runtimes, their versions, and diff two versions');

  command
    .command('list')
    .description('list runtimes with their newest version')
    .option('--json', 'print the runtimes as JSON')
    .action(async (options: { json?: boolean }) => {
      const { rt } = await connect(global());
      try {
        const runtimes = await rt.api.runtimes.list();
        if (options.json) {
          process.stdout.write(`${JSON.stringify(runtimes, null, 2)}\n`);
          return;
        }
        if (runtimes.length === 0) {
          console.log(
            pc.dim('no runtimes yet; add one to runtools.config.ts (or start with "runtools init")'),
          );
          return;
        }
        for (const runtime of runtimes) {
          const dirty = runtime.hasUnversionedChanges ? pc.yellow(' (unversioned changes)') : '';
          console.log(
            `${pc.bold(runtime.slug)}  v${runtime.version}  ${modelLabel(runtime.model)}  [${runtime.tools.join(', ')}]${dirty}`,
          );
        }
      } finally {
        await rt.close();
      }
    });

  command
    .command('show <slug>')
    .description('a runtime version in full: model, tools and the whole system prompt')
    .option('--version <n>', 'which version (default: the newest)')
    .option('--prompt', 'print only the system prompt, as is (to write it to a file)')
    .option('--json', 'print the version as JSON')
    .action(async (slug: string, options: { version?: string; prompt?: boolean; json?: boolean }) => {
      const { rt } = await connect(global());
      try {
        const number = options.version
          ? versionNumber(options.version)
          : (await rt.api.runtimes.get(slug)).version;
        const version = await rt.api.runtimes.version(slug, number);
        if (options.json) process.stdout.write(`${JSON.stringify(version, null, 2)}\n`);
        else if (options.prompt) process.stdout.write(version.systemPrompt);
        else
          process.stdout.write(
            `${pc.bold(`${slug} v${version.version}`)}  ${pc.dim(`${version.createdAt}  ${version.reason}`)}\n${versionText(version)}`,
          );
      } finally {
        await rt.close();
      }
    });

  command
    .command('rollback <slug> <version>')
    .description(
      'make a new version equal to an earlier one (refused for a runtime from runtools.config.ts: its file decides)',
    )
    .action(async (slug: string, version: string) => {
      const { rt } = await connect(global());
      try {
        const target = versionNumber(version);
        const runtime = await rt.api.runtimes.rollback(slug, { version: target });
        console.log(`runtime ${pc.bold(slug)} rolled back to v${target}: now v${runtime.version}`);
      } finally {
        await rt.close();
      }
    });

  command
    .command('versions <slug>')
    .description('list the versions of a runtime')
    .action(async (slug: string) => {
      const { rt } = await connect(global());
      try {
        for (const version of await rt.api.runtimes.versions(slug)) {
          console.log(
            `v${version.version}  ${version.createdAt}  ${version.reason}  ${modelLabel(version.model)}`,
          );
        }
      } finally {
        await rt.close();
      }
    });

  command
    .command('diff <slug> <a> <b>')
    .description('print a unified diff of two versions (system prompt, model, tools)')
    .action(async (slug: string, a: string, b: string) => {
      const { rt } = await connect(global());
      try {
        const [from, to] = await Promise.all([
          rt.api.runtimes.version(slug, versionNumber(a)),
          rt.api.runtimes.version(slug, versionNumber(b)),
        ]);
        const patch = diffVersions(slug, from, to);
        process.stdout.write(`${process.stdout.isTTY ? colorDiff(patch) : patch}\n`);
      } finally {
        await rt.close();
      }
    });

  return command;
}

function versionNumber(text: string): number {
  const value = Number(text.replace(/^v/, ''));
  if (!Number.isInteger(value) || value < 1)
    throw new Error(
      `"${text}" is not a version number; use 1, 2, 3... (see "runtools runtimes versions <slug>")`,
    );
  return value;
}

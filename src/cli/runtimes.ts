import { Command } from 'commander';
import { createTwoFilesPatch } from 'diff';
import pc from 'picocolors';
import { modelLabel } from '../api/model-names.js';
import type { RuntimeVersion } from '../api/types.js';
import { connect, type GlobalOptions } from './context.js';

/** The parts of a version a person compares, as text. */
export function versionText(version: RuntimeVersion): string {
  return [
    `name: ${version.name}`,
    `model: ${modelLabel(version.model)}`,
    `tools: ${version.tools.join(', ') || '(none)'}`,
    `maxTurns: ${version.maxTurns}`,
    'systemPrompt:',
    ...version.systemPrompt.split('\n').map((line) => `  ${line}`),
    '',
  ].join('\n');
}

/** A unified diff between two versions of a runtime. */
export function diffVersions(slug: string, a: RuntimeVersion, b: RuntimeVersion): string {
  return createTwoFilesPatch(
    `${slug}@v${a.version}`,
    `${slug}@v${b.version}`,
    versionText(a),
    versionText(b),
    a.createdAt,
    b.createdAt,
  );
}

export function colorDiff(patch: string): string {
  return patch
    .split('\n')
    .map((line) =>
      line.startsWith('+') && !line.startsWith('+++')
        ? pc.green(line)
        : line.startsWith('-') && !line.startsWith('---')
          ? pc.red(line)
          : line.startsWith('@@')
            ? pc.cyan(line)
            : line,
    )
    .join('\n');
}

export function runtimesCommand(global: () => GlobalOptions): Command {
  const command = new Command('runtimes').description('list runtimes, their versions, and diff two versions');

  command
    .command('list')
    .description('list runtimes with their newest version')
    .action(async () => {
      const { rt } = await connect(global());
      try {
        for (const runtime of await rt.runtimes.list()) {
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

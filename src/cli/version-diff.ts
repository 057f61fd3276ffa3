import { createTwoFilesPatch } from 'diff';
import pc from 'picocolors';
import { modelLabel } from '../api/model-names.js';
import type { RuntimeVersion } from '../api/types.js';

// Apart from the `runtimes` command so `runtools dev` prints a version's diff without importing
// the command (and the client and config session it imports).

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

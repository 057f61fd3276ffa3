// Loading a TypeScript (or JS) file that default-exports a define*() call: the config, an eval suite.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Jiti } from 'jiti';
import type { z } from 'zod';
import { frameAt, locationIn } from './code-frame.js';
import { ConfigError, type ConfigProblem, displayPath } from './errors.js';

/** `runtools/config` as this running copy of runtools provides it (dist/ or src/). */
function configEntry(): string {
  const js = fileURLToPath(new URL('./index.js', import.meta.url));
  return existsSync(js) ? js : js.replace(/\.js$/, '.ts');
}

/** A jiti that compiles TypeScript for the loader; its `transform` does the work of ours. */
let compiler: Jiti | undefined;

/**
 * The file's exports, read as TypeScript with no build step and nothing cached (a reload sees the
 * file as it is now), `runtools/config` resolved to this copy. A file that does not load is a
 * ConfigError saying what is wrong, where, and the lines around it.
 *
 * With `imported`, every project file it pulls in (a TypeScript tool's module, the helpers that
 * imports) is added to it, so hot reload can watch them too: jiti compiles each one through
 * `transform`, with its path, the one place that sees them all. Packages in node_modules and
 * runtools' own modules are not the project's and are left out.
 */
export async function importModule(
  file: string,
  /** What to do once it is fixed: a watched config is saved again, a suite is run again. */
  then = 'save again',
  imported?: Set<string>,
): Promise<Record<string, unknown>> {
  // Loaded here, not at the top: a `runtools dev` in a folder with no config never needs it.
  const { createJiti } = await import('jiti');
  compiler ??= createJiti(import.meta.url);
  const base = compiler;
  const own = path.dirname(path.dirname(configEntry())) + path.sep;
  const jiti = createJiti(import.meta.url, {
    moduleCache: false,
    fsCache: false,
    // Keep `default` meaning the default export, so a file without one is reported as such.
    interopDefault: false,
    alias: { 'runtools/config': configEntry() },
    ...(imported
      ? {
          transform: (options: Parameters<Jiti['transform']>[0]) => {
            const source = options.filename && path.resolve(options.filename);
            if (
              source &&
              source !== file &&
              !source.startsWith(own) &&
              !source.split(path.sep).includes('node_modules')
            )
              imported.add(source);
            return { code: base.transform(options) };
          },
        }
      : {}),
  });
  try {
    return (await jiti.import(file)) as Record<string, unknown>;
  } catch (error) {
    // A typo in an imported module: watch it too, so saving the fix reloads.
    throw new ConfigError(
      file,
      [{ field: '(file)', message: loadFailure(error, file, then) }],
      [file, ...(imported ?? [])],
    );
  }
}

/**
 * Why the file did not load, with where: `runtools.config.ts:5:16` and the lines around it, so a
 * typo is found without opening the file at the right place by hand.
 */
function loadFailure(error: unknown, file: string, then: string): string {
  const message = error instanceof Error ? error.message : String(error);
  // jiti puts the location on the message's second line; the first says what is wrong.
  const what = firstLine(message)
    .replace(/^ParseError: /, 'syntax error: ')
    .trim();
  const location = locationIn(error, file);
  if (!location) return `could not be loaded: ${what}; fix it and ${then}`;
  const frame = frameAt(location);
  const where = `${displayPath(file)}:${location.line}:${location.column}`;
  return `could not be loaded: ${what} at ${where}; fix it and ${then}${frame ? `\n${indent(frame, '    ')}` : ''}`;
}

const indent = (text: string, prefix: string): string =>
  text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');

const firstLine = (text: string): string => text.split('\n').find((line) => line.trim() !== '') ?? text;

/**
 * The wording both the config and a suite give a schema issue when nothing more specific fits:
 * unknown fields, a wrong type; else zod's own message (the schemas word theirs with the fix).
 */
export function commonProblem(issue: z.core.$ZodIssue, field: string): ConfigProblem {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return {
      field,
      message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}; check the spelling or remove ${issue.keys.length > 1 ? 'them' : 'it'}`,
    };
  }
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
    return {
      field,
      message: `must be a ${issue.expected}; ${issue.message.replace(/^Invalid input: /, '')}`,
    };
  }
  return { field, message: issue.message };
}

/** The value an issue's path points at in the raw input; undefined when it is missing. */
export function valueAt(root: unknown, parts: readonly PropertyKey[]): unknown {
  let value = root;
  for (const part of parts) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/** `runtimes[0].model`, as a person would write it. */
export function fieldPath(parts: readonly PropertyKey[]): string {
  return parts
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

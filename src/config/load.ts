import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Jiti } from 'jiti';
import type { z } from 'zod';
import type { WebSearchSettings } from '../../tools/types.js';
import { modelConfigProblem } from '../api/model-names.js';
import type { CreateDeploymentRequest, CreateRuntimeRequest } from '../api/schemas.js';
import { BUILTIN_TOOLS } from '../api/types.js';
import { resolveToolsets, type ToolsetDefinitions, unknownToolProblem } from '../toolsets/config.js';
import { frameAt, locationIn } from './code-frame.js';
import { ConfigError, type ConfigProblem, displayPath } from './errors.js';
import { configSchema, type ParsedConfig } from './schema.js';

/** A runtime ready for the API: its system prompt read from its file when it names one. */
export interface LoadedRuntime extends CreateRuntimeRequest {
  /** The prompt file it came from, if any. */
  promptFile?: string;
}

/** A config file, validated, with everything it points at read in. */
export interface LoadedConfig {
  file: string;
  dir: string;
  runtimes: LoadedRuntime[];
  deployments: CreateDeploymentRequest[];
  /** Paths are absolute; none means a managed workspace. */
  workspaces: { id: string; path?: string }[];
  sandbox?: 'docker' | 'local';
  webSearch?: WebSearchSettings;
  /** Toolsets from `tools` (MCP servers, TypeScript functions, stand-in fixtures). */
  toolsets: ToolsetDefinitions;
  /** The config, every prompt and fixtures file it references, and the project modules it imports: what hot reload watches. */
  files: string[];
}

/** `runtools/config` as this running copy of runtools provides it (dist/ or src/). */
function configEntry(): string {
  const js = fileURLToPath(new URL('./index.js', import.meta.url));
  return existsSync(js) ? js : js.replace(/\.js$/, '.ts');
}

/**
 * Loads runtools.config.ts as TypeScript (no build step), validates it and reads its prompt files.
 * Every failure is a ConfigError naming the file, the field and the fix. Nothing is cached, so a
 * reload sees the file as it is now.
 */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  const absolute = path.resolve(file);
  if (!existsSync(absolute)) {
    throw new ConfigError(absolute, [
      { field: '(file)', message: 'does not exist; create it, or point --config at your config file' },
    ]);
  }
  const imported = new Set<string>();
  const exported = await importConfig(absolute, imported);
  const parsed = configSchema.safeParse(exported);
  if (!parsed.success)
    throw new ConfigError(
      absolute,
      parsed.error.issues.map((i) => toProblem(i, exported)),
      [absolute, ...imported],
    );
  return resolveConfig(absolute, parsed.data, [...imported]);
}

/** A jiti that compiles TypeScript for the loader; its `transform` does the work of ours. */
let compiler: Jiti | undefined;

/**
 * Imports the config, adding every project file it pulls in (a TypeScript tool's module, the
 * helpers that imports) to `imported`, so hot reload watches them too. jiti compiles each such file
 * through `transform`, with its path: the one place that sees them all, at no extra cost. Packages
 * in node_modules are not project files and are left out.
 */
async function importConfig(file: string, imported: Set<string>): Promise<unknown> {
  // Loaded here, not at the top: a `runtools dev` in a folder with no config never needs it.
  const { createJiti } = await import('jiti');
  compiler ??= createJiti(import.meta.url);
  const base = compiler;
  // runtools' own modules (behind the 'runtools/config' alias) are not the project's to watch.
  const own = path.dirname(path.dirname(configEntry())) + path.sep;
  const jiti = createJiti(import.meta.url, {
    moduleCache: false,
    fsCache: false,
    // Keep `default` meaning the default export, so a file without one is reported as such.
    interopDefault: false,
    alias: { 'runtools/config': configEntry() },
    transform: (options) => {
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
  });
  let module: Record<string, unknown>;
  try {
    module = (await jiti.import(file)) as Record<string, unknown>;
  } catch (error) {
    // A typo in an imported module: watch it too, so saving the fix reloads.
    throw new ConfigError(
      file,
      [{ field: '(file)', message: loadFailure(error, file) }],
      [file, ...imported],
    );
  }
  const config = module.default ?? module.config;
  if (config === undefined) {
    throw new ConfigError(file, [
      {
        field: '(file)',
        message: 'exports no config; end it with "export default defineConfig({ runtimes: [...], ... })"',
      },
    ]);
  }
  return config;
}

function resolveConfig(file: string, config: ParsedConfig, imported: string[]): LoadedConfig {
  const dir = path.dirname(file);
  const problems: ConfigProblem[] = [];
  const files = [file, ...imported];
  const withLive = Object.entries(config.tools ?? {}).flatMap(([name, entry]) => (entry.live ? [name] : []));
  const runtimes = config.runtimes.map((runtime, index): LoadedRuntime => {
    const field = `runtimes[${index}]`;
    const modelProblem = modelConfigProblem(runtime.model);
    if (modelProblem) problems.push({ field: `${field}.model`, message: modelProblem });
    for (const key of ['tools', 'approve'] as const) {
      (runtime[key] ?? []).forEach((name, j) => {
        const problem = unknownToolProblem(name, BUILTIN_TOOLS, Object.keys(config.tools ?? {}), withLive);
        if (problem) problems.push({ field: `${field}.${key}[${j}]`, message: problem });
      });
    }
    const prompt = runtime.systemPrompt;
    if (typeof prompt === 'string') return { ...runtime, systemPrompt: prompt };
    const promptFile = path.resolve(dir, prompt.file);
    files.push(promptFile);
    try {
      return { ...runtime, systemPrompt: readFileSync(promptFile, 'utf8'), promptFile };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push({
        field: `${field}.systemPrompt.file`,
        message:
          code === 'ENOENT'
            ? `"${prompt.file}" does not exist (looked for ${promptFile}); create it or fix the path, which is relative to the config file`
            : `"${prompt.file}" could not be read (${code ?? String(error)}); check its permissions`,
      });
      return { ...runtime, systemPrompt: '' };
    }
  });
  const toolsets = resolveToolsets(config.tools ?? {}, dir);
  problems.push(...toolsets.problems);
  files.push(...toolsets.files);
  duplicates(
    runtimes.map((r) => r.slug),
    'runtimes',
    'slug',
    problems,
  );
  duplicates(
    config.deployments.map((d) => d.apiSlug),
    'deployments',
    'apiSlug',
    problems,
  );
  duplicates(
    config.workspaces.map((w) => w.id),
    'workspaces',
    'id',
    problems,
  );
  if (problems.length > 0) throw new ConfigError(file, problems, [...new Set(files)]);
  return {
    file,
    dir,
    runtimes,
    deployments: config.deployments,
    workspaces: config.workspaces.map((w) =>
      w.path ? { id: w.id, path: path.resolve(dir, w.path) } : { id: w.id },
    ),
    ...(config.sandbox ? { sandbox: config.sandbox } : {}),
    ...(config.webSearch ? { webSearch: config.webSearch } : {}),
    toolsets: toolsets.definitions,
    files: [...new Set(files)],
  };
}

function duplicates(values: string[], list: string, key: string, problems: ConfigProblem[]): void {
  const seen = new Map<string, number>();
  values.forEach((value, index) => {
    const first = seen.get(value);
    if (first === undefined) {
      seen.set(value, index);
      return;
    }
    problems.push({
      field: `${list}[${index}].${key}`,
      message: `"${value}" is also used by ${list}[${first}]; each ${key} must be unique, so rename one`,
    });
  });
}

function toProblem(issue: z.core.$ZodIssue, root: unknown): ConfigProblem {
  const field = issue.path.length > 0 ? fieldPath(issue.path) : '(config)';
  const key = String(issue.path.at(-1) ?? 'config');
  const value = valueAt(root, issue.path);
  if (value === undefined && issue.code !== 'unrecognized_keys' && issue.code !== 'custom') {
    return { field, message: `is required: add ${key}${key === 'model' ? ', like "claude-opus-4-5"' : ''}` };
  }
  if (issue.code === 'invalid_union' && issue.message === 'Invalid input') {
    const hint =
      key === 'model'
        ? 'use a model name like "claude-opus-4-5", or {provider: "custom" | "scripted" | ..., ...}'
        : 'check it against the type defineConfig expects';
    return { field, message: `${JSON.stringify(value)} is not a valid ${key}; ${hint}` };
  }
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

function valueAt(root: unknown, parts: readonly PropertyKey[]): unknown {
  let value = root;
  for (const part of parts) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/** `runtimes[0].model`, as a person would write it. */
function fieldPath(parts: readonly PropertyKey[]): string {
  return parts
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/**
 * Why the file did not load, with where: `runtools.config.ts:5:16` and the lines around it, so a
 * typo is found without opening the file at the right place by hand.
 */
function loadFailure(error: unknown, file: string): string {
  const message = error instanceof Error ? error.message : String(error);
  // jiti puts the location on the message's second line; the first says what is wrong.
  const what = firstLine(message)
    .replace(/^ParseError: /, 'syntax error: ')
    .trim();
  const location = locationIn(error, file);
  if (!location) return `could not be loaded: ${what}; fix it and save again`;
  const frame = frameAt(location);
  const where = `${displayPath(file)}:${location.line}:${location.column}`;
  return `could not be loaded: ${what} at ${where}; fix it and save again${frame ? `\n${indent(frame, '    ')}` : ''}`;
}

const indent = (text: string, prefix: string): string =>
  text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');

const firstLine = (text: string): string => text.split('\n').find((line) => line.trim() !== '') ?? text;

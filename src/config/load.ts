import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { WebSearchSettings } from '../../tools/types.js';
import { modelConfigProblem } from '../api/model-names.js';
import type { CreateDeploymentRequest, CreateRuntimeRequest } from '../api/schemas.js';
import { BUILTIN_TOOLS } from '../api/types.js';
import { resolveToolsets, type ToolsetDefinitions, unknownToolProblem } from '../toolsets/config.js';
import { ConfigError, type ConfigProblem } from './errors.js';
import { commonProblem, fieldPath, importModule, valueAt } from './load-module.js';
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

/**
 * Imports the config, adding every project file it pulls in (a TypeScript tool's module, the
 * helpers that imports) to `imported`, so hot reload watches them too.
 */
async function importConfig(file: string, imported: Set<string>): Promise<unknown> {
  const module = await importModule(file, 'save again', imported);
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
  return commonProblem(issue, field);
}

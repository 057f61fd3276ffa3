import type { WebSearchSettings } from '../../tools/types.js';
import type { CreateDeploymentBody, CreateRuntimeBody } from '../api/requests.js';

/** A system prompt written inline, or kept in a file beside the config (`{file: './prompts/code.md'}`). */
export type PromptSource = string | { file: string };

/**
 * A runtime as `rt.runtimes.create` takes it, except that `systemPrompt` may name a file. Relative
 * paths (prompt files, scripted-model scripts) resolve against the config file's folder.
 */
export interface RuntimeDefinition extends Omit<CreateRuntimeBody, 'systemPrompt'> {
  systemPrompt?: PromptSource;
}

/** A deployment as `rt.deployments.create` takes it. Name secrets here; keep their values in `.env`. */
export type DeploymentDefinition = CreateDeploymentBody;

/**
 * A named folder runs can mount. With `path` it points at that folder (relative to the config);
 * without, runtools keeps a managed folder for it in its data dir.
 */
export interface WorkspaceDefinition {
  id: string;
  path?: string;
}

/** Everything `runtools dev` loads from `runtools.config.ts`. */
export interface RunToolsConfig {
  runtimes?: RuntimeDefinition[];
  deployments?: DeploymentDefinition[];
  workspaces?: WorkspaceDefinition[];
  /** The sandbox of deployments that do not choose one (default `docker`). */
  sandbox?: 'docker' | 'local';
  /** Where the web_search tool searches. */
  webSearch?: WebSearchSettings;
}

/**
 * Declares a project's runtimes, deployments and workspaces. It returns its argument unchanged; it
 * exists so an editor checks and completes the config:
 *
 * ```ts
 * import { defineConfig } from 'runtools/config';
 * export default defineConfig({ runtimes: [...], deployments: [...] });
 * ```
 */
export function defineConfig(config: RunToolsConfig): RunToolsConfig {
  return config;
}

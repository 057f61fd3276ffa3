import type { z } from 'zod';
import type { WebSearchSettings } from '../../tools/types.js';
import type { CreateDeploymentBody, CreateRuntimeBody } from '../api/requests.js';
import type { FunctionTool, ToolsetConfig } from '../toolsets/config.js';
import type { ToolsetCallContext } from '../toolsets/types.js';

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
  /**
   * Toolsets beyond the six built-ins, by name: an MCP server (`{ mcp: { command, args, env } }` or
   * `{ mcp: { url, headers } }`), TypeScript functions (`{ functions: [defineTool({...})] }`), or the
   * fixtures of a stand-in (`gmail: { fixtures: './mail.json' }`). A runtime lists a toolset's name in
   * its `tools` to get all its tools; the model sees them as `<toolset>__<tool>`. Any entry may add
   * `live: { mcp: {...} }` (its real provider, used only with `runtools dev --live <name>` or
   * `live.enabled`) and `record: 'calls.jsonl'` (every call appended as a JSON line, secrets redacted).
   */
  tools?: Record<string, ToolsetConfig>;
}

/**
 * A TypeScript tool for the config's `tools: { name: { functions: [...] } }`, with its input typed
 * from its zod schema:
 *
 * ```ts
 * defineTool({
 *   name: 'lookup_invoice',
 *   description: 'Finds an invoice by number',
 *   inputSchema: z.object({ number: z.string() }),
 *   execute: async ({ number }) => ({ number, status: 'paid' }),
 * })
 * ```
 */
export function defineTool<S extends z.ZodType>(tool: {
  name: string;
  description: string;
  inputSchema: S;
  execute(input: z.output<S>, ctx: ToolsetCallContext): unknown;
}): FunctionTool {
  return tool as unknown as FunctionTool;
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

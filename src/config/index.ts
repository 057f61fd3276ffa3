// The `runtools/config` entry point: what a runtools.config.ts imports.

export { defineEval, type EvalDefinition } from '../evals/define.js';
export type {
  FunctionTool,
  McpHttpServer,
  McpStdioServer,
  SecretOr,
  ToolsetConfig,
} from '../toolsets/config.js';
export type { ToolsetCallContext } from '../toolsets/types.js';
export {
  type DeploymentDefinition,
  defineConfig,
  defineTool,
  type PromptSource,
  type RunToolsConfig,
  type RuntimeDefinition,
  type WorkspaceDefinition,
} from './define.js';

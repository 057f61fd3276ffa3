// The `runtools/config` entry point: what a runtools.config.ts imports.

export { defineEval, type EvalDefinition } from '../evals/define.js';
export {
  type DeploymentDefinition,
  defineConfig,
  type PromptSource,
  type RunToolsConfig,
  type RuntimeDefinition,
  type WorkspaceDefinition,
} from './define.js';

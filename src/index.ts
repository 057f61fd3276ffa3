export type { AgentRunDetail, RunFileEntry, RunToolsApi } from './api/contract.js';
export { RunToolsError, type RunToolsErrorType } from './api/errors.js';
export type {
  EvalCheckResult,
  EvalData,
  EvalDetail,
  EvalReport,
  EvalSuiteInput,
  EvalTrialResult,
  StartEvalBody,
} from './api/evals.js';
export type { Message, TokenUsage } from './api/messages.js';
export type {
  CreateDeploymentBody,
  CreateRuntimeBody,
  ListRunsQuery,
  RunRequestBody,
  UpdateDeploymentBody,
  UpdateRuntimeBody,
} from './api/schemas.js';
export type {
  AgentDeploymentData,
  AgentRunData,
  AgentRunEvent,
  AgentRunStatus,
  AgentRuntimeData,
  BuiltinToolName,
  FileChange,
  ModelConfig,
  Mount,
  RuntimeVersion,
  TemplateData,
  ToolCallRecord,
  WorkspaceData,
} from './api/types.js';
export { type LocalOptions, RunTools, type RunToolsOptions } from './sdk/client.js';
export type { EvalRunOptions } from './sdk/evals.js';
export type { AgentDeployment, AgentRun, AgentRunHandle, AgentRuntime, RunFiles } from './sdk/resources.js';

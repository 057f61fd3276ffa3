// The `@runtools/sdk` entry point: the client and the API's types, with no dependency beyond fetch.
export type { AgentRunDetail, RunFileEntry, RunToolsApi } from '../api/contract.js';
export { RunToolsError, type RunToolsErrorType } from '../api/errors.js';
export type {
  EvalCheckResult,
  EvalData,
  EvalDetail,
  EvalReport,
  EvalSuiteInput,
  EvalTrialResult,
  StartEvalBody,
} from '../api/evals.js';
export type { Message, TokenUsage } from '../api/messages.js';
export type {
  CreateDeploymentBody,
  CreateRuntimeBody,
  CreateWorkspaceBody,
  ListRunsQuery,
  RunRequestBody,
  UpdateDeploymentBody,
  UpdateRuntimeBody,
} from '../api/requests.js';
export type {
  AgentDeploymentData,
  AgentRunData,
  AgentRunEvent,
  AgentRunStatus,
  AgentRuntimeData,
  BuiltinToolName,
  FileChange,
  GmailMessage,
  GmailOutboxEntry,
  IntegrationData,
  ModelConfig,
  Mount,
  RuntimeVersion,
  TemplateData,
  ToolCallRecord,
  ToolName,
  ToolSpec,
  ToolsetCalls,
  WorkspaceData,
} from '../api/types.js';
export { RunTools, type RunToolsOptions } from './client.js';
export type { EvalRunOptions } from './evals.js';
export type { AgentDeployment, AgentRun, AgentRunHandle, AgentRuntime, RunFiles } from './resources.js';

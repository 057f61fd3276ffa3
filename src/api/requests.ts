import type { Message } from './messages.js';
import type {
  AgentRunStatus,
  ModelConfig,
  Mount,
  ResourceLimits,
  ToolChoice,
  ToolName,
  ToolsetCalls,
  WebhookEvent,
} from './types.js';

// The request bodies of the API as plain types, so the SDK's declarations need no schema library.
// src/api/schemas.ts validates them and checks at compile time that its schemas accept exactly these.

/** `rt.runtimes.create(...)`: a new runtime; version 1 is made from it. */
export interface CreateRuntimeBody {
  /** Lowercase letters, digits and single dashes, like `code-assistant`. */
  slug: string;
  name?: string;
  systemPrompt?: string;
  model: ModelConfig;
  /** Built-in tools, toolsets (`gmail`) or toolset tools (`gmail__send_email`). */
  tools?: ToolName[];
  /** Most model turns a run may take; default 50. */
  maxTurns?: number;
  /** Whether the model must, may or must not call a tool (or which one); default auto. */
  toolChoice?: ToolChoice;
  /** Tools whose calls wait for a person: `resume()` runs the call, `deny(reason)` skips it. */
  approve?: ToolName[];
}

/** `runtime.update(...)`: changes the current config; `createVersion()` snapshots it. */
export interface UpdateRuntimeBody {
  name?: string;
  systemPrompt?: string;
  model?: ModelConfig;
  tools?: ToolName[];
  maxTurns?: number;
  toolChoice?: ToolChoice;
  approve?: ToolName[];
}

/** `rt.deployments.create(...)`: a runtime made reachable at `POST /v1/run/<apiSlug>`. */
export interface CreateDeploymentBody {
  apiSlug: string;
  runtimeSlug: string;
  templateSlug: string;
  mounts?: Mount[];
  webhookUrl?: string | null;
  webhookEvents?: WebhookEvent[];
  maxConcurrent?: number;
  /** Seconds; default 600. */
  timeout?: number;
  /** Names of environment variables handed to the container. */
  secrets?: string[];
  sandbox?: 'docker' | 'local';
  network?: 'bridge' | 'none';
  limits?: Partial<ResourceLimits>;
  /** Tools whose calls wait for a person's approval in every run of this deployment. */
  approve?: ToolName[];
}

/** `deployment.update(...)`. */
export interface UpdateDeploymentBody {
  runtimeSlug?: string;
  templateSlug?: string;
  mounts?: Mount[];
  webhookUrl?: string | null;
  webhookEvents?: WebhookEvent[];
  maxConcurrent?: number;
  timeout?: number;
  secrets?: string[];
  sandbox?: 'docker' | 'local';
  network?: 'bridge' | 'none';
  limits?: Partial<ResourceLimits>;
  approve?: ToolName[];
}

/** `rt.agents.run(apiSlug, ...)`: what to run, and how. */
export interface RunRequestBody {
  message: string;
  /** Resolve at once with a handle to iterate and steer, instead of when the run ends. */
  stream?: boolean;
  mounts?: Mount[];
  context?: {
    /** Workspace paths whose contents follow the message. */
    files?: string[];
    /** Earlier messages to continue from. */
    history?: Message[];
  };
  /** A model that replaces the runtime's for this run only. */
  model?: ModelConfig;
  /** A system prompt that replaces the runtime's for this run only (a draft: no version is made). */
  systemPrompt?: string;
  /** Replaces the runtime's toolChoice for this run. */
  toolChoice?: ToolChoice;
  /** Run an earlier version of the deployment's runtime instead of its current config. */
  runtimeVersion?: number;
  /** Hold the run before each tool call runs (status paused) until resume(): stepping through tools. */
  pauseBeforeTools?: boolean;
  /**
   * `{ recorded: runId }`: toolset calls get the results that run recorded (no integration is
   * called twice); `'live'`: every toolset call is made. Default: a replay uses its source run's
   * results, any other run is live.
   */
  toolsetCalls?: ToolsetCalls;
}

/** `rt.runs.list(...)`: newest first, a page at a time. */
export interface ListRunsQuery {
  deployment?: string;
  status?: AgentRunStatus;
  /** Text in the run's message or id. */
  q?: string;
  /** 1 to 500; default 50. */
  limit?: number | string;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** `rt.workspaces.create(...)`: a host folder by name, or a managed one when `path` is left out. */
export interface CreateWorkspaceBody {
  id: string;
  path?: string;
}

/** `run.deny(reason)`: skip the tool call a paused run is held before; the model reads the reason. */
export interface DenyBody {
  reason?: string;
}

import type { Message, TokenUsage } from './messages.js';

/** The six built-in tools a runtime can enable. */
export const BUILTIN_TOOLS = ['bash', 'read_file', 'edit_file', 'grep', 'glob', 'web_search'] as const;
export type BuiltinToolName = (typeof BUILTIN_TOOLS)[number];

/**
 * A tool a runtime enables: a built-in, a whole toolset by name (`'gmail'`, an MCP server or
 * TypeScript tools from runtools.config.ts), or one tool of a toolset (`'gmail__send_email'`).
 */
export type ToolName = BuiltinToolName | (string & {});

/** What a model is told about one tool: its name, description and input JSON Schema. */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/**
 * Which model a runtime uses. A plain name picks the provider by prefix: `claude-*` is Anthropic,
 * `gpt-*` and `o<digit>*` OpenAI, `gemini-*` Google. The object forms reach a custom OpenAI- or
 * Anthropic-compatible endpoint (Ollama, vLLM, llama.cpp...) or one of the offline models.
 */
export type ModelConfig =
  | string
  | ProviderModelConfig
  | CustomModelConfig
  | ScriptedModelConfig
  | ReplayModelConfig;

/** A model's prices in US dollars per million tokens; cache rates default to the input rate. */
export interface ConfiguredPrice {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

/** A hosted provider named explicitly, with optional tuning. */
export interface ProviderModelConfig {
  provider: 'anthropic' | 'openai' | 'google';
  model: string;
  /** Upper bound on output tokens per model call. */
  maxTokens?: number;
  /** Extended thinking budget (Anthropic, Gemini); omit to leave thinking off. */
  thinkingBudget?: number;
  /** OpenAI reasoning effort for models that take it. */
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
  /** Prices for a model runtools' price table does not list (or lists wrongly). */
  price?: ConfiguredPrice;
}

/**
 * Any server that speaks the OpenAI Chat Completions (`openai`), OpenAI Responses
 * (`openai-responses`) or Anthropic Messages (`anthropic`) protocol.
 */
export interface CustomModelConfig {
  provider: 'custom';
  /** The API's base URL, or the full `/chat/completions`, `/responses` or `/messages` URL. */
  endpoint: string;
  apiKey?: string;
  format: 'openai' | 'openai-responses' | 'anthropic';
  /** Model name sent to the endpoint; defaults to `default`. */
  model?: string;
  maxTokens?: number;
  /** Prices of this model, so its runs have a cost; without them the cost is unknown. */
  price?: ConfiguredPrice;
}

/** Plays a declared list of assistant turns from a JSON file: no key, no network. */
export interface ScriptedModelConfig {
  provider: 'scripted';
  /** Path to the script file, relative to the config file or absolute. */
  script: string;
  /** The model the script stands in for (`claude-opus-4-5`...): its turns' usage is priced as that model's. */
  model?: string;
}

/** Plays back the model turns recorded in a stored run, in order. */
export interface ReplayModelConfig {
  provider: 'replay';
  /** The id of the run whose model turns are replayed. */
  run: string;
}

/**
 * Whether the model must call a tool: `auto` (it decides; the default), `required` or its alias `any`
 * (some tool), `none` (no tool), or `{ tool: 'bash' }` (that tool). A forced choice applies to the turn
 * that answers a user message; after tool results the model decides again, so a run can end.
 */
export type ToolChoice = 'auto' | 'any' | 'required' | 'none' | { tool: string };

/** The editable configuration of a runtime; every version is a snapshot of one. */
export interface RuntimeConfig {
  name: string;
  systemPrompt: string;
  model: ModelConfig;
  tools: ToolName[];
  /** Most model turns a run may take before it fails as looping. */
  maxTurns: number;
  /** Unset is `auto`. */
  toolChoice?: ToolChoice;
  /**
   * Tools whose calls wait for a person: the run holds before each (status paused, the call's input
   * in the event) until `resume()` runs it or `deny(reason)` skips it. Tool names or toolset names.
   */
  approve?: ToolName[];
}

/** A runtime as the API returns it. */
export interface AgentRuntimeData extends RuntimeConfig {
  slug: string;
  /** The newest version number. */
  version: number;
  /** True when the current config differs from the newest version (an update not yet versioned). */
  hasUnversionedChanges: boolean;
  /** Where the runtime came from: the API, or `runtools.config.ts`. */
  source: 'api' | 'config';
  createdAt: string;
  updatedAt: string;
}

/** An immutable, numbered snapshot of a runtime's config. */
export interface RuntimeVersion extends RuntimeConfig {
  runtimeSlug: string;
  version: number;
  /** Why it was made: `create`, `createVersion`, `rollback to N`, `config`, `run`. */
  reason: string;
  createdAt: string;
  /** The tools (names, descriptions, schemas) its first run was given; absent until it has run. */
  toolSpecs?: ToolSpec[];
}

/** A host directory bound into a run's container at `path`. */
export interface Mount {
  workspaceId: string;
  path: string;
  readOnly?: boolean;
}

export const WEBHOOK_EVENTS = ['run.completed', 'run.failed', 'run.cancelled', 'run.timed_out'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Per-container resource limits. */
export interface ResourceLimits {
  memoryMb: number;
  cpus: number;
  pids: number;
}

/** A deployment as the API returns it. */
export interface AgentDeploymentData {
  apiSlug: string;
  runtimeSlug: string;
  templateSlug: string;
  mounts: Mount[];
  webhookUrl: string | null;
  webhookEvents: WebhookEvent[];
  maxConcurrent: number;
  /** Seconds a run may take before it ends as `timed_out`. */
  timeout: number;
  /** Names of secrets resolved from the server's environment or `.env`; values are never returned. */
  secrets: string[];
  sandbox: 'docker' | 'local';
  network: 'bridge' | 'none';
  limits: ResourceLimits;
  /** Tools whose calls wait for a person's resume() or deny(reason), on top of the runtime's `approve`. */
  approve: ToolName[];
  /** `POST <this>` starts a run. */
  apiEndpoint: string;
  source: 'api' | 'config';
  createdAt: string;
  updatedAt: string;
}

/** Every state a run can be in. */
export const RUN_STATUSES = [
  'queued',
  'running',
  'paused',
  'completed',
  'failed',
  'cancelled',
  'timed_out',
  'interrupted',
] as const;
export type AgentRunStatus = (typeof RUN_STATUSES)[number];
export const TERMINAL_STATUSES: readonly AgentRunStatus[] = [
  'completed',
  'failed',
  'cancelled',
  'timed_out',
  'interrupted',
];
export const isTerminal = (status: AgentRunStatus): boolean => TERMINAL_STATUSES.includes(status);

/** One file the run created, modified or deleted, with a unified diff. */
export interface FileChange {
  path: string;
  change: 'created' | 'modified' | 'deleted';
  diff: string;
}

/** One tool call of a run, with its result. */
export interface ToolCallRecord {
  callId: string;
  tool: string;
  input: unknown;
  output: string;
  isError: boolean;
  startedAt: string;
  durationMs: number;
}

export interface RunUsage extends TokenUsage {
  /** US dollars; null when a model's price is unknown. */
  costUsd: number | null;
}

/**
 * How a run makes its toolset calls (`gmail__send_email`, MCP tools): `'live'` calls the toolset
 * every time; `{ recorded: runId }` gives a call the result that run recorded for it (matched by
 * call id, else by the same tool and input; each used once) and makes only calls it has no result
 * for. A replay defaults to its source run's recorded results; other runs default to live.
 */
export type ToolsetCalls = 'live' | { recorded: string };

/** What a run was started with. */
export interface RunInput {
  message: string;
  mounts: Mount[];
  context: { files: string[]; history: Message[] };
  /** A model that replaces the runtime's for this run only. */
  model?: ModelConfig;
  /** A system prompt that replaced the runtime's for this run only (a draft tried without a version). */
  systemPrompt?: string;
  /** Replaces the runtime's toolChoice for this run only. */
  toolChoice?: ToolChoice;
  /** The runtime version asked for, when not the current config. */
  runtimeVersion?: number;
  /** The run pauses before each tool call runs. */
  pauseBeforeTools?: boolean;
  /** How its toolset calls were made (absent: the default, see ToolsetCalls). */
  toolsetCalls?: ToolsetCalls;
  /** Set when an eval started the run: its eval id, case, variant label and trial (from 1). */
  eval?: { id: string; case: string; variant: string; trial: number };
}

/** A run as the API returns it. */
export interface AgentRunData {
  id: string;
  deployment: string;
  runtimeSlug: string;
  runtimeVersion: number | null;
  status: AgentRunStatus;
  /** Why the run ended as it did, or why it is queued/paused. */
  statusReason: string | null;
  queuePosition: number | null;
  input: RunInput;
  output: string | null;
  error: string | null;
  devUrl: string | null;
  files: FileChange[];
  messages: Message[];
  toolCalls: ToolCallRecord[];
  usage: RunUsage;
  turns: number;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
}

interface EventBase {
  runId: string;
  /** Per-run sequence number, from 1; the SSE `id:`. */
  seq: number;
  timestamp: string;
}

/** Everything a run reports while it goes, in order. `status` with a terminal status is always last. */
export type AgentRunEvent = EventBase &
  (
    | {
        type: 'status';
        status: AgentRunStatus;
        reason?: string;
        queuePosition?: number;
        /** On a run paused before a tool call: the call waiting for resume() or deny(reason). */
        awaiting?: { tool: string; callId: string; input: unknown; approval: boolean };
      }
    | { type: 'text'; content: string }
    | { type: 'thinking'; content: string }
    | { type: 'tool_call'; tool: string; input: unknown; callId: string }
    | { type: 'tool_result'; tool: string; output: string; callId: string; isError: boolean }
    | { type: 'file_edit'; path: string; diff: string; change: FileChange['change'] }
    /** What a toolset tool did in an integration (a stand-in's sent email), for a person to see. */
    | {
        type: 'integration';
        integration: string;
        action: string;
        summary: string;
        data: Record<string, unknown>;
        callId: string;
      }
    | { type: 'dev_url'; url: string; port: number }
    | { type: 'input'; content: string }
    /** A step of building the deployment's template image, when the run had to build it. */
    | { type: 'build'; template: string; step: string }
    /**
     * The run's token totals so far, after `turns` model turns. Sent at most once a second (and
     * before the run stops or pauses), so one event can follow several turns. `turns` is absent
     * on events stored before it was added (one per turn then).
     */
    | { type: 'usage'; usage: RunUsage; turns?: number }
    | { type: 'error'; message: string }
    | { type: 'complete'; output: string }
  );

export type AgentRunEventType = AgentRunEvent['type'];

/** Distributes Omit over the event union so each variant keeps its own fields. */
export type EventPayload = AgentRunEvent extends infer E
  ? E extends AgentRunEvent
    ? Omit<E, 'runId' | 'seq' | 'timestamp'>
    : never
  : never;

/** A named host directory that runs can mount. */
export interface WorkspaceData {
  id: string;
  path: string;
  /** True when runtools made the directory under its data dir. */
  managed: boolean;
  createdAt: string;
}

/** A container template that deployments run in. */
export interface TemplateData {
  slug: string;
  description: string;
  workdir: string;
  ports: number[];
  source: 'project' | 'builtin';
  /** The image tag for the current contents (content hash), and whether it is built. */
  image: string;
  built: boolean;
}

/** One page of a list. */
export interface Page<T> {
  data: T[];
  /** Pass as `cursor` to get the next page; null on the last. */
  nextCursor: string | null;
}

/** An integration stand-in (gmail, ...): tools that act on local state instead of the real service. */
export interface IntegrationData {
  name: string;
  description: string;
  /** Its tools as the model sees them, like `gmail__send_email`. */
  tools: string[];
  /** Its state on the API: `GET /v1/integrations/<name>/<view>`. */
  views: string[];
  /**
   * `stand-in`: nothing leaves this machine. `live`: the config's real provider serves it
   * (`runtools dev --live <name>`, or `live.enabled` in the config); the stand-in's views stay.
   */
  mode: 'stand-in' | 'live';
}

/** A message of the gmail stand-in. */
export interface GmailMessage {
  id: string;
  threadId: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  body: string;
  date: string;
  labels: string[];
}

/** A message the gmail stand-in "sent": kept in its outbox, with the run that sent it. */
export interface GmailOutboxEntry extends GmailMessage {
  runId: string | null;
}

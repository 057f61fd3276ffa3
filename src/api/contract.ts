import type { EvalData, EvalDetail, StartEvalBody } from './evals.js';
import type {
  CreateDeploymentBody,
  CreateRuntimeBody,
  CreateWorkspaceBody,
  DenyBody,
  ListRunsQuery,
  RunRequestBody,
  UpdateDeploymentBody,
  UpdateRuntimeBody,
} from './requests.js';
import type {
  AgentDeploymentData,
  AgentRunData,
  AgentRunEvent,
  AgentRuntimeData,
  IntegrationData,
  Page,
  RuntimeVersion,
  TemplateData,
  WorkspaceData,
} from './types.js';

/** One entry of a directory listing inside a run's sandbox. */
export interface RunFileEntry {
  name: string;
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
}

/** A run with its full event log, as `runs.get` returns it. */
export interface AgentRunDetail extends AgentRunData {
  events: AgentRunEvent[];
}

/**
 * Everything needed to reproduce a run elsewhere: the run with its events, the exact runtime
 * version it ran with and its deployment's settings (secret names only, never values).
 */
export interface RunExport {
  format: 'runtools.run/v1';
  exportedAt: string;
  run: AgentRunDetail;
  runtime: RuntimeVersion;
  deployment: Omit<AgentDeploymentData, 'apiEndpoint' | 'createdAt' | 'updatedAt' | 'source'>;
}

export interface EventsOptions {
  /** Only events with a larger sequence number (the SSE Last-Event-ID). */
  after?: number;
  /** Keep following live events until the run ends (default true). */
  follow?: boolean;
  signal?: AbortSignal;
}

/**
 * The whole API surface, as plain data. The Engine implements it in-process; the HTTP client
 * implements it over the wire; the contract suite runs against both.
 */
export interface RunToolsApi {
  runtimes: {
    create(body: CreateRuntimeBody): Promise<AgentRuntimeData>;
    list(): Promise<AgentRuntimeData[]>;
    get(slug: string): Promise<AgentRuntimeData>;
    update(slug: string, body: UpdateRuntimeBody): Promise<AgentRuntimeData>;
    delete(slug: string): Promise<void>;
    createVersion(slug: string): Promise<RuntimeVersion>;
    versions(slug: string): Promise<RuntimeVersion[]>;
    version(slug: string, version: number): Promise<RuntimeVersion>;
    rollback(slug: string, body: { version: number }): Promise<AgentRuntimeData>;
  };
  deployments: {
    create(body: CreateDeploymentBody): Promise<AgentDeploymentData>;
    list(): Promise<AgentDeploymentData[]>;
    get(apiSlug: string): Promise<AgentDeploymentData>;
    update(apiSlug: string, body: UpdateDeploymentBody): Promise<AgentDeploymentData>;
    delete(apiSlug: string): Promise<void>;
  };
  runs: {
    /** Starts a run and resolves when it ends. */
    run(apiSlug: string, body: RunRequestBody): Promise<AgentRunData>;
    /** Starts a run and resolves at once with its id and its live event stream. */
    stream(
      apiSlug: string,
      body: RunRequestBody,
    ): Promise<{ runId: string; events: AsyncIterable<AgentRunEvent> }>;
    get(id: string): Promise<AgentRunDetail>;
    list(query: ListRunsQuery): Promise<Page<AgentRunData>>;
    events(id: string, options?: EventsOptions): AsyncIterable<AgentRunEvent>;
    pause(id: string): Promise<AgentRunData>;
    resume(id: string): Promise<AgentRunData>;
    cancel(id: string): Promise<AgentRunData>;
    sendInput(id: string, body: { message: string }): Promise<AgentRunData>;
    /** Skips the tool call a paused run is held before; the model reads `reason`. */
    deny(id: string, body: DenyBody): Promise<AgentRunData>;
    listFiles(id: string, dir: string): Promise<RunFileEntry[]>;
    readFile(id: string, path: string): Promise<string>;
    /**
     * Stores an exported run under its own id (409 if taken); creates its runtime (with the exported
     * version's config) and deployment when they do not exist here, so it can be replayed.
     */
    import(bundle: RunExport): Promise<AgentRunDetail>;
  };
  workspaces: {
    create(body: CreateWorkspaceBody): Promise<WorkspaceData>;
    list(): Promise<WorkspaceData[]>;
    get(id: string): Promise<WorkspaceData>;
    delete(id: string): Promise<void>;
  };
  templates: {
    list(): Promise<TemplateData[]>;
  };
  integrations: {
    list(): Promise<IntegrationData[]>;
    /** A stand-in's state, newest first: `view('gmail', 'outbox')`. */
    view(name: string, view: string): Promise<unknown[]>;
  };
  evals: {
    /** Stores the eval and starts its trials as ordinary runs; resolves at once (status `running`). */
    start(body: StartEvalBody): Promise<EvalData>;
    /** The eval with every trial and its report, so far. */
    get(id: string): Promise<EvalDetail>;
    /** Newest first. */
    list(): Promise<EvalData[]>;
    /** Cancels its runs in flight, keeps what finished; resolves when it has ended. */
    cancel(id: string): Promise<EvalData>;
  };
}

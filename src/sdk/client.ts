import type { RunToolsApi } from '../api/contract.js';
import type {
  CreateDeploymentBody,
  CreateRuntimeBody,
  CreateWorkspaceBody,
  ListRunsQuery,
  RunRequestBody,
} from '../api/requests.js';
import type {
  AgentRunData,
  GmailMessage,
  GmailOutboxEntry,
  IntegrationData,
  Page,
  TemplateData,
  WorkspaceData,
} from '../api/types.js';
import { evalsResource } from './evals.js';
import { HttpApi } from './http-api.js';
import { environment, readLocalKey } from './key.js';
import {
  type AgentDeployment,
  type AgentRunHandle,
  type AgentRuntime,
  deploymentResource,
  runHandle,
  runtimeResource,
} from './resources.js';

export const DEFAULT_BASE_URL = 'http://127.0.0.1:4400';

export interface RunToolsOptions {
  /** Defaults to RUNTOOLS_API_KEY, then the key a local `runtools dev` keeps in `./.runtools/api-key`. */
  apiKey?: string;
  /** Defaults to RUNTOOLS_BASE_URL, then http://127.0.0.1:4400. */
  baseUrl?: string;
}

type RunOptions = Omit<RunRequestBody, 'stream'>;

/**
 * The RunTools client. `new RunTools()` talks to a `runtools dev` server over HTTP (`fetch` only:
 * Node 20+, Bun, Deno, browsers). The `runtools` package adds `RunTools.local()`, which runs the
 * engine inside this process with no server.
 */
export class RunTools {
  /** The transport: HTTP or an in-process engine. */
  readonly api: RunToolsApi;
  private readonly onClose: () => Promise<void>;

  constructor(options: RunToolsOptions | RunToolsApi = {}, onClose: () => Promise<void> = async () => {}) {
    if ('runtimes' in options) {
      this.api = options;
    } else {
      const env = environment();
      this.api = new HttpApi({
        baseUrl: options.baseUrl ?? env.RUNTOOLS_BASE_URL ?? DEFAULT_BASE_URL,
        apiKey: options.apiKey ?? env.RUNTOOLS_API_KEY ?? readLocalKey(env.RUNTOOLS_DATA_DIR ?? '.runtools'),
      });
    }
    this.onClose = onClose;
  }

  readonly runtimes = {
    create: async (body: CreateRuntimeBody): Promise<AgentRuntime> =>
      runtimeResource(this.api, await this.api.runtimes.create(body)),
    list: async (): Promise<AgentRuntime[]> =>
      (await this.api.runtimes.list()).map((r) => runtimeResource(this.api, r)),
    get: async (slug: string): Promise<AgentRuntime> =>
      runtimeResource(this.api, await this.api.runtimes.get(slug)),
  };

  readonly deployments = {
    create: async (body: CreateDeploymentBody): Promise<AgentDeployment> =>
      deploymentResource(this.api, await this.api.deployments.create(body)),
    list: async (): Promise<AgentDeployment[]> =>
      (await this.api.deployments.list()).map((d) => deploymentResource(this.api, d)),
    get: async (apiSlug: string): Promise<AgentDeployment> =>
      deploymentResource(this.api, await this.api.deployments.get(apiSlug)),
  };

  readonly agents = {
    /**
     * Runs a deployment's agent. Without `stream` it resolves when the run ends; with
     * `stream: true` it resolves at once with a handle to iterate and steer.
     */
    run: ((apiSlug: string, options: RunOptions & { stream?: boolean }) =>
      options.stream
        ? this.api.runs
            .stream(apiSlug, options)
            .then(({ runId, events }) => runHandle(this.api, runId, events))
        : this.api.runs.run(apiSlug, options)) as {
      (apiSlug: string, options: RunOptions & { stream: true }): Promise<AgentRunHandle>;
      (apiSlug: string, options: RunOptions & { stream?: false }): Promise<AgentRunData>;
    },
  };

  readonly runs = {
    list: (query: ListRunsQuery = {}): Promise<Page<AgentRunData>> => this.api.runs.list(query),
    get: (id: string) => this.api.runs.get(id),
    /** Reattaches to a run by id (for controls and its event stream). */
    attach: (id: string, after = 0): AgentRunHandle =>
      runHandle(this.api, id, this.api.runs.events(id, { after })),
  };

  readonly workspaces = {
    create: (body: CreateWorkspaceBody): Promise<WorkspaceData> => this.api.workspaces.create(body),
    list: (): Promise<WorkspaceData[]> => this.api.workspaces.list(),
    get: (id: string): Promise<WorkspaceData> => this.api.workspaces.get(id),
    delete: (id: string): Promise<void> => this.api.workspaces.delete(id),
  };

  readonly templates = {
    list: (): Promise<TemplateData[]> => this.api.templates.list(),
  };

  /** Integration stand-ins: what their tools did, kept on this machine. */
  readonly integrations = {
    list: (): Promise<IntegrationData[]> => this.api.integrations.list(),
    /** Any stand-in's view, e.g. `view('gmail', 'outbox')`. */
    view: (name: string, view: string): Promise<unknown[]> => this.api.integrations.view(name, view),
    gmail: {
      /** Mail the agent "sent": nothing left the machine. Newest first. */
      outbox: async (): Promise<GmailOutboxEntry[]> =>
        (await this.api.integrations.view('gmail', 'outbox')) as GmailOutboxEntry[],
      /** The stand-in mailbox (fixtures). Newest first. */
      mailbox: async (): Promise<GmailMessage[]> =>
        (await this.api.integrations.view('gmail', 'mailbox')) as GmailMessage[],
    },
  };
  /** Evals: a suite of cases run over variants (versions, models, draft prompts), scored in the container. */
  get evals(): ReturnType<typeof evalsResource> {
    return evalsResource(this.api);
  }

  /** Releases an in-process engine; a no-op over HTTP. */
  close(): Promise<void> {
    return this.onClose();
  }
}

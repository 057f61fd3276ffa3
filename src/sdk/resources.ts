import type { RunFileEntry, RunToolsApi } from '../api/contract.js';
import type { UpdateDeploymentBody, UpdateRuntimeBody } from '../api/requests.js';
import type {
  AgentDeploymentData,
  AgentRunData,
  AgentRunEvent,
  AgentRuntimeData,
  RuntimeVersion,
} from '../api/types.js';

/** A runtime: its config and version, with the calls that change it. */
export interface AgentRuntime extends AgentRuntimeData {
  /** Changes the current config; call `createVersion()` to snapshot it. */
  update(changes: UpdateRuntimeBody): Promise<AgentRuntime>;
  delete(): Promise<void>;
  /** Snapshots the current config as the next numbered version. */
  createVersion(): Promise<RuntimeVersion>;
  versions(): Promise<RuntimeVersion[]>;
  /** Makes `version`'s config current again, recorded as a new version. */
  rollback(options: { version: number }): Promise<AgentRuntime>;
}

/** Wraps runtime data with its methods; the object refreshes itself after each change. */
export function runtimeResource(api: RunToolsApi, data: AgentRuntimeData): AgentRuntime {
  const resource: AgentRuntime = {
    ...data,
    async update(changes) {
      return Object.assign(resource, await api.runtimes.update(resource.slug, changes));
    },
    delete: () => api.runtimes.delete(resource.slug),
    async createVersion() {
      const version = await api.runtimes.createVersion(resource.slug);
      Object.assign(resource, await api.runtimes.get(resource.slug));
      return version;
    },
    versions: () => api.runtimes.versions(resource.slug),
    async rollback(options) {
      return Object.assign(resource, await api.runtimes.rollback(resource.slug, options));
    },
  };
  return resource;
}

/** A deployment: where and how a runtime runs, with the calls that change it. */
export interface AgentDeployment extends AgentDeploymentData {
  update(changes: UpdateDeploymentBody): Promise<AgentDeployment>;
  delete(): Promise<void>;
}

export function deploymentResource(api: RunToolsApi, data: AgentDeploymentData): AgentDeployment {
  const resource: AgentDeployment = {
    ...data,
    async update(changes) {
      return Object.assign(resource, await api.deployments.update(resource.apiSlug, changes));
    },
    delete: () => api.deployments.delete(resource.apiSlug),
  };
  return resource;
}

/** A finished or stored run: output, messages, tool calls, files, usage. */
export type AgentRun = AgentRunData;

/** Files of a run's sandbox, during the run and after it. */
export interface RunFiles {
  list(dir?: string): Promise<RunFileEntry[]>;
  read(path: string): Promise<string>;
}

/**
 * A streaming run: iterate it for events (`for await (const event of run)`), and steer it with
 * pause, resume, cancel and sendInput while it goes.
 */
export interface AgentRunHandle extends AsyncIterable<AgentRunEvent> {
  readonly id: string;
  /** Holds the run after its current step; nothing is lost. */
  pause(): Promise<AgentRunData>;
  resume(): Promise<AgentRunData>;
  /** Stops the model and any running tool at once. */
  cancel(): Promise<AgentRunData>;
  /** A user message the agent reads before its next model call. */
  sendInput(message: string): Promise<AgentRunData>;
  /**
   * Skips the tool call the paused run waits before (an `approve` entry, or pauseBeforeTools) and
   * tells the model why; `resume()` runs it instead.
   */
  deny(reason?: string): Promise<AgentRunData>;
  files: RunFiles;
  /** Waits for the run to end and returns it. */
  result(): Promise<AgentRunData>;
}

export function runFiles(api: RunToolsApi, runId: string): RunFiles {
  return {
    list: (dir = '/workspace') => api.runs.listFiles(runId, dir),
    read: (path) => api.runs.readFile(runId, path),
  };
}

export function runHandle(
  api: RunToolsApi,
  runId: string,
  events: AsyncIterable<AgentRunEvent>,
): AgentRunHandle {
  let consumed = false;
  return {
    id: runId,
    [Symbol.asyncIterator]() {
      // The first iteration takes the live stream; later ones replay the stored events from the start.
      if (!consumed) {
        consumed = true;
        return events[Symbol.asyncIterator]();
      }
      return api.runs.events(runId, { after: 0 })[Symbol.asyncIterator]();
    },
    pause: () => api.runs.pause(runId),
    resume: () => api.runs.resume(runId),
    cancel: () => api.runs.cancel(runId),
    sendInput: (message) => api.runs.sendInput(runId, { message }),
    deny: (reason) => api.runs.deny(runId, reason === undefined ? {} : { reason }),
    files: runFiles(api, runId),
    async result() {
      for await (const _ of api.runs.events(runId, { after: 0 })) {
        // Drain until the terminal status event.
      }
      return api.runs.get(runId);
    },
  };
}

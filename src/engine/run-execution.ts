import type { ToolContext, ToolEmitted, ToolResult, ToolSettings } from '../../tools/types.js';
import { RunToolsError } from '../api/errors.js';
import { addUsage, emptyUsage, type Message, type TokenUsage } from '../api/messages.js';
import {
  type AgentRunStatus,
  BUILTIN_TOOLS,
  type EventPayload,
  type FileChange,
  type RuntimeConfig,
  type RunUsage,
  type ToolCallRecord,
} from '../api/types.js';
import { withToolChoice } from '../models/tool-choice.js';
import type { ModelToolSpec } from '../models/types.js';
import type { Sandbox, SandboxFactory } from '../sandbox/types.js';
import type { DeploymentConfig } from '../store/deployments.js';
import type { ResolvedMount, RunRow } from '../store/runs.js';
import type { Store } from '../store/store.js';
import { isToolsetTool, needsApproval } from '../toolsets/approval.js';
import { type RecordedResults, recordedSource, recordedToolsetResults } from '../toolsets/replay.js';
import type { RunToolbox, ToolsetCallContext } from '../toolsets/types.js';
import { DevUrlWatcher } from './dev-urls.js';
import type { RunEventLog } from './event-log.js';
import { agentLoop, TurnLimitReached } from './loop/agent-loop.js';
import { DeltaCoalescer } from './loop/delta-coalescer.js';
import { UsageThrottle } from './loop/usage-throttle.js';
import type { ChangeTracker, RunParts } from './parts.js';
import type { Redactor } from './redact.js';
import { type RunControl, RunStopped } from './run-control.js';
import { readMountedFile } from './run-files.js';
import { toSandboxPath, WORKSPACE } from './run-paths.js';
import { RunTimeout } from './run-timeout.js';

/** Why a run the server stopped under did not finish, and what to do. */
export const INTERRUPTED = 'the server stopped while the run was running; start it again to retry';

export interface RunExecutionDeps {
  store: Store;
  events: RunEventLog;
  parts: RunParts;
  control: RunControl;
  run: RunRow;
  deployment: DeploymentConfig;
  runtime: RuntimeConfig;
  mounts: ResolvedMount[];
  secrets: Record<string, string>;
  redactor: Redactor;
  toolSettings: ToolSettings;
  now: () => Date;
  log: (message: string) => void;
  /** Evals: work that must see the sandbox as the agent left it (see AfterRun). */
  afterRun?: AfterRun;
}

/** The tool call a run held before a call waits on, as its paused event shows it. */
type Awaiting = NonNullable<Extract<EventPayload, { type: 'status' }>['awaiting']>;

/**
 * Runs after the agent finished (completed or failed) and its file changes are taken, before the
 * sandbox is disposed: an eval's in-container checks (`command`, `file_exists`...) use it. `signal`
 * aborts when the run is cancelled meanwhile. It must not throw; a failure is only logged.
 */
export type AfterRun = (sandbox: Sandbox, outcome: RunOutcome, signal: AbortSignal) => Promise<void>;

/** Where a run's time went: the model, the tools, and everything else (runtools' own overhead). */
export interface RunTiming {
  wallMs: number;
  modelMs: number;
  toolMs: number;
  /** Model turns plus tool calls. */
  steps: number;
}

/** How a run ended. */
export interface RunOutcome {
  status: Extract<AgentRunStatus, 'completed' | 'failed' | 'cancelled' | 'timed_out' | 'interrupted'>;
  output: string | null;
  error: string | null;
}

/**
 * One run from its first step to its end: sandbox, model, loop, timeout, dev URLs, file changes.
 * Everything it reports goes through the event log and the run's row; it never throws.
 *
 * The model's first turn starts while the sandbox starts (tools wait for it); the terminal event
 * goes out as soon as the loop ends, and the container is removed after it (`released`).
 */
export class RunExecution {
  private sandbox: Sandbox | undefined;
  /** The sandbox with its change tracking and dev URL watch, started alongside the first model turn. */
  private sandboxStart: Promise<Sandbox> | undefined;
  private sandboxError: unknown;
  /** Stops the loop when the sandbox fails to start (the run fails with that error). */
  private readonly sandboxFailed = new AbortController();
  private ended = false;
  /** Settles when the run's sandbox is gone and its tracking stopped (after the terminal event). */
  released: Promise<void> = Promise.resolve();
  private tracker: ChangeTracker | undefined;
  private readonly messages: Message[] = [];
  private readonly toolCalls: ToolCallRecord[] = [];
  /** How many messages and tool calls are stored already (persist() appends the rest). */
  private persisted = { messages: 0, toolCalls: 0 };
  private usage: TokenUsage = emptyUsage();
  private cost: number | null = 0;
  private turns = 0;
  private devUrls: DevUrlWatcher | undefined;
  private devUrl: string | null = null;
  /** Paths edit_file reported that the workspace watcher has not seen yet: it must not report them twice. */
  private readonly toolEdits = new Set<string>();
  /** Paths a file_edit event has named (from a tool or the live watch). */
  private readonly reported = new Set<string>();
  private readonly timeout: RunTimeout;
  private pauseReason = 'paused by request; resume() continues it';
  private readonly toolState = new Map<string, unknown>();
  /** Toolset tools (stand-ins, MCP, TypeScript) of this run, resolved in prepare(). */
  private toolbox: RunToolbox | undefined;
  private toolSpecs: ModelToolSpec[] = [];
  /** On a replay or rerun: the recorded results of the source run's toolset calls. */
  private recorded: RecordedResults | undefined;
  /** The call a pause before a tool waits on, for the paused event. */
  private awaiting: Awaiting | undefined;
  readonly timing: RunTiming = { wallMs: 0, modelMs: 0, toolMs: 0, steps: 0 };

  constructor(private readonly deps: RunExecutionDeps) {
    this.timeout = new RunTimeout(deps.deployment.timeout, () => deps.control.stop('timed_out'));
  }

  /** Server log lines go through the redactor too: a stack trace can quote a secret. */
  private log(message: string): void {
    this.deps.log(this.deps.redactor.string(message));
  }

  /** Text and thinking deltas are joined per 50 ms; every other event flushes them first. */
  private readonly deltas = new DeltaCoalescer((payload) => {
    this.deps.events.append(
      this.deps.run.id,
      this.deps.redactor.active ? this.deps.redactor.value(payload) : payload,
    );
  });

  /** Usage (the run's totals so far) goes out at most once a second, and before the run stops. */
  private readonly usageEvents = new UsageThrottle((payload) => this.deltas.emit(payload));

  private emit = (payload: EventPayload): void => {
    if (payload.type === 'usage') {
      this.usageEvents.offer(payload);
      return;
    }
    if (payload.type === 'status' || payload.type === 'complete' || payload.type === 'error')
      this.usageEvents.flush();
    this.deltas.emit(payload);
  };

  private setStatus(status: AgentRunStatus, reason: string | null, awaiting?: Awaiting): void {
    this.deps.store.runs.update(this.deps.run.id, { status, statusReason: reason });
    this.emit({ type: 'status', status, ...(reason ? { reason } : {}), ...(awaiting ? { awaiting } : {}) });
  }

  async execute(): Promise<RunOutcome> {
    const { control, run } = this.deps;
    const started = performance.now();
    control.phase = 'running';
    this.deps.store.runs.update(run.id, { startedAt: this.deps.now().toISOString() });
    this.setStatus('running', null);
    this.timeout.start();
    let outcome: RunOutcome;
    try {
      await this.prepare();
      const result = await agentLoop({
        adapter: this.adapter!,
        system: this.deps.runtime.systemPrompt,
        tools: this.toolSpecs,
        maxTurns: this.deps.runtime.maxTurns,
        messages: this.messages,
        signal: AbortSignal.any([control.signal, this.sandboxFailed.signal]),
        emit: this.emit,
        checkpoint: async () => {
          await control.checkpoint(this.pauseHooks);
          return control.takeInputs().map((input) => this.deps.redactor.string(input));
        },
        hasInput: () => control.hasInput,
        toolStep: {
          enabled: this.toolSpecs.map((spec) => spec.name),
          execute: async (name, input, signal, callId) => {
            if (!this.toolbox || !isToolsetTool(name))
              return this.deps.parts.executeTool(
                name,
                input,
                this.toolContext(await this.sandboxReady(), signal),
              );
            // A replay or rerun never calls an integration twice: the recorded result stands in.
            const recorded = this.recorded?.take(callId, name, this.deps.redactor.value(input));
            if (!recorded) return this.toolbox.execute(name, input, this.toolsetContext(signal, callId));
            this.emit({
              type: 'integration',
              integration: name.slice(0, name.indexOf('__')),
              action: 'recorded_result',
              summary: `${name} was not called again: the result recorded in run ${this.recorded!.source} stands in (replay or rerun with --live to call it)`,
              data: { source: this.recorded!.source },
              callId,
            });
            return recorded;
          },
          redactor: this.deps.redactor,
          checkpoint: async (call) => {
            const approval = needsApproval(call.name, this.approve);
            if ((this.deps.run.input.pauseBeforeTools || approval) && !control.stopCause) {
              control.holdBeforeTool(call.name);
              this.pauseReason = approval
                ? `waiting for approval of ${call.name}; resume() runs it, deny(reason) skips it`
                : `paused before ${call.name}; resume() runs it`;
              this.awaiting = { tool: call.name, callId: call.callId, input: call.input, approval };
            }
            await control.checkpoint(this.pauseHooks);
            this.awaiting = undefined;
            return control.takeDenial();
          },
          now: this.deps.now,
        },
        onProgress: (progress) => this.onProgress(progress),
      });
      outcome = { status: 'completed', output: this.deps.redactor.string(result.output), error: null };
    } catch (error) {
      outcome = this.failure(this.sandboxError ?? error);
    }
    const finished = await this.finish(outcome);
    this.timing.wallMs = performance.now() - started;
    return finished;
  }

  private adapter: ReturnType<RunParts['createModel']> | undefined;

  private readonly pauseHooks = {
    paused: () => {
      this.timeout.stop();
      this.setStatus('paused', this.pauseReason, this.awaiting);
      this.pauseReason = 'paused by request; resume() continues it';
    },
    resumed: () => {
      this.setStatus('running', null);
      this.timeout.start();
    },
  };

  /** Tools the deployment and the runtime hold for a person's approval. */
  private get approve(): string[] {
    return [...(this.deps.deployment.approve ?? []), ...(this.deps.runtime.approve ?? [])];
  }

  /** The run's tools: built-ins, then toolset tools (an MCP server starts here on first use). */
  private async resolveTools(): Promise<void> {
    const { parts, runtime, run, control } = this.deps;
    const toolsetNames = runtime.tools.filter((name) => !(BUILTIN_TOOLS as readonly string[]).includes(name));
    if (toolsetNames.length > 0) {
      if (!parts.toolsets) {
        throw new RunToolsError(
          'invalid_request',
          `this server has no toolsets; the runtime lists ${toolsetNames.join(', ')}`,
        );
      }
      this.toolbox = await parts.toolsets.open(toolsetNames, {
        secrets: this.deps.secrets,
        signal: control.signal,
        sandbox: () => this.sandboxReady(),
      });
    }
    this.toolSpecs = [...parts.toolSpecs(runtime.tools), ...(this.toolbox?.specs ?? [])];
    this.recorded = recordedToolsetResults(
      this.deps.store,
      recordedSource(runtime.model, run.input.toolsetCalls),
    );
    if (run.runtimeVersion !== null) {
      this.deps.store.runtimes.recordToolSpecs(run.runtimeSlug, run.runtimeVersion, this.toolSpecs);
    }
  }

  private toolsetContext(signal: AbortSignal, callId: string): ToolsetCallContext {
    return {
      runId: this.deps.run.id,
      callId,
      signal,
      secrets: this.deps.secrets,
      emit: (event) => this.emit({ type: 'integration', ...event, callId }),
    };
  }

  /** Model, tools, the sandbox's start (not awaited: tools wait for it), and the first user turn. */
  private async prepare(): Promise<void> {
    const { run, deployment, parts } = this.deps;
    await parts.load?.();
    this.adapter = withToolChoice(parts.createModel(this.deps.runtime.model), this.deps.runtime.toolChoice);
    const factory = parts.sandboxes[deployment.sandbox];
    if (!factory) {
      throw new RunToolsError(
        'unavailable',
        `the ${deployment.sandbox} sandbox is not available in this server; set sandbox: 'local' or 'docker' on the deployment`,
      );
    }
    this.sandboxStart = this.startSandbox(factory);
    this.sandboxStart.catch((error: unknown) => {
      this.sandboxError = error;
      this.sandboxFailed.abort(error);
    });
    // After the sandbox's start began: an MCP server that runs in it waits for it here.
    await this.resolveTools();
    this.messages.push(...run.input.context.history);
    this.messages.push({ role: 'user', content: [{ type: 'text', text: await this.firstMessage() }] });
    this.persist();
  }

  /**
   * The container (or host folder) and change tracking, side by side (the tracker's baseline is a
   * host-side walk that does not need the container), then the dev URL watch on the container.
   */
  private async startSandbox(factory: SandboxFactory): Promise<Sandbox> {
    const { run, deployment, parts, control } = this.deps;
    const unwatch = parts.watchBuilds?.(deployment.templateSlug, (step) =>
      this.emit({ type: 'build', template: deployment.templateSlug, step }),
    );
    const workspace = this.deps.mounts.find((m) => m.path === WORKSPACE)!;
    const creating = factory
      .create(
        {
          runId: run.id,
          template: deployment.templateSlug,
          mounts: this.deps.mounts.map((m) => ({
            hostPath: m.hostPath,
            containerPath: m.path,
            readOnly: m.readOnly === true,
          })),
          // The run's own managed folder, made for it just now: a warm container can take its place.
          freshWorkspace: workspace.workspaceId === run.id,
          env: this.deps.secrets,
          network: deployment.network,
          limits: deployment.limits,
        },
        control.signal,
      )
      .finally(() => unwatch?.());
    // A warm container's folder takes the run's folder's place, so tracking starts after that.
    const fresh = workspace.workspaceId === run.id;
    const tracking = fresh
      ? undefined
      : parts.trackChanges(workspace.hostPath, (change) => this.onWorkspaceChange(change));
    // Awaited below; until then its failure must not count as unhandled.
    tracking?.catch(() => {});
    try {
      this.sandbox = await creating;
    } catch (error) {
      void tracking?.then((t) => t.stop()).catch(() => {});
      throw error;
    }
    this.tracker = await (tracking ??
      parts.trackChanges(workspace.hostPath, (change) => this.onWorkspaceChange(change)));
    control.throwIfStopped();
    this.devUrls = new DevUrlWatcher(this.sandbox, (port, url) => this.reportDevUrl(port, url));
    this.devUrls.start();
    return this.sandbox;
  }

  /** The started sandbox; a run stopped meanwhile throws here rather than run a tool. */
  private async sandboxReady(): Promise<Sandbox> {
    const sandbox = await this.sandboxStart!;
    this.deps.control.throwIfStopped();
    return sandbox;
  }

  /** The user's message, with the context files' contents after it. */
  private async firstMessage(): Promise<string> {
    const { run, redactor } = this.deps;
    const parts = [redactor.string(run.input.message)];
    for (const file of run.input.context.files) {
      const sandboxPath = toSandboxPath(file, this.deps.mounts);
      let content: string;
      try {
        content = await readMountedFile(this.deps.mounts, sandboxPath);
      } catch (error) {
        throw new RunToolsError(
          'invalid_request',
          `context file "${file}" could not be read from the run's workspace (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check the path or the run's mounts`,
        );
      }
      parts.push(`<file path="${sandboxPath}">\n${redactor.string(content)}\n</file>`);
    }
    return parts.join('\n\n');
  }

  private toolContext(sandbox: Sandbox, signal: AbortSignal): ToolContext {
    return {
      runId: this.deps.run.id,
      sandbox,
      roots: this.deps.mounts.map((m) => m.path),
      signal,
      emit: (event: ToolEmitted) => this.onToolEmitted(event),
      settings: this.deps.toolSettings,
      state: this.toolState,
    };
  }

  private onToolEmitted(event: ToolEmitted): void {
    if (event.type === 'file_edit') {
      this.toolEdits.add(event.path);
      this.reported.add(event.path);
      this.emit({ type: 'file_edit', path: event.path, diff: event.diff, change: event.change });
    } else {
      this.devUrls?.add(event.port, event.url);
    }
  }

  /** Changes seen on disk: bash and anything else that is not edit_file (which reports its own). */
  private onWorkspaceChange(change: FileChange): void {
    if (this.ended) return;
    const sandboxPath = change.path.startsWith('/') ? change.path : `${WORKSPACE}/${change.path}`;
    if (this.toolEdits.delete(sandboxPath)) return;
    this.reported.add(sandboxPath);
    this.emit({ type: 'file_edit', path: sandboxPath, diff: change.diff, change: change.change });
  }

  /**
   * Files the run changed that no event named yet: a command's write in the run's last moments
   * (the live watch waits a few milliseconds for a file to settle) still gets its file_edit.
   */
  private reportUnseen(files: FileChange[]): void {
    for (const change of files) {
      const sandboxPath = change.path.startsWith('/') ? change.path : `${WORKSPACE}/${change.path}`;
      // The folder itself carries notes (tracking was capped), not an edit.
      if (sandboxPath === WORKSPACE || this.reported.has(sandboxPath)) continue;
      this.reported.add(sandboxPath);
      this.emit({ type: 'file_edit', path: sandboxPath, diff: change.diff, change: change.change });
    }
  }

  private reportDevUrl(port: number, url: string): void {
    if (this.ended) return;
    if (this.devUrl === null) {
      this.devUrl = url;
      this.deps.store.runs.update(this.deps.run.id, { devUrl: url });
    }
    this.emit({ type: 'dev_url', url, port });
  }

  private onProgress(progress: {
    turn?: { usage: TokenUsage; modelMs: number };
    tools?: { records: ToolCallRecord[]; toolMs: number };
  }): void {
    if (progress.turn) {
      this.timing.modelMs += progress.turn.modelMs;
      this.timing.steps++;
      this.turns++;
      this.usage = addUsage(this.usage, progress.turn.usage);
      const price = this.deps.parts.price(this.adapter!, progress.turn.usage);
      this.cost = this.cost === null || price === null ? null : this.cost + price;
      this.emit({ type: 'usage', usage: this.runUsage(), turns: this.turns });
    }
    if (progress.tools) {
      this.toolCalls.push(...progress.tools.records);
      this.timing.toolMs += progress.tools.toolMs;
      this.timing.steps += progress.tools.records.length;
    }
    this.persist();
  }

  private runUsage(): RunUsage {
    return { ...this.usage, costUsd: this.cost === null ? null : Math.round(this.cost * 1e6) / 1e6 };
  }

  /**
   * Stores what the run added since the last call: new messages and tool calls are appended, the
   * row's counters updated, in one transaction. Entries are never changed once stored.
   */
  private persist(): void {
    const { redactor, store, run } = this.deps;
    const added = {
      messages: redactor.value(this.messages.slice(this.persisted.messages)),
      toolCalls: redactor.value(this.toolCalls.slice(this.persisted.toolCalls)),
    };
    store.transaction(() => {
      store.runs.appendTranscript(run.id, added, this.persisted);
      store.runs.update(run.id, { usage: this.runUsage(), turns: this.turns });
    });
    this.persisted = { messages: this.messages.length, toolCalls: this.toolCalls.length };
  }

  private failure(error: unknown): RunOutcome {
    const cause = this.deps.control.stopCause ?? (error instanceof RunStopped ? error.stopCause : undefined);
    if (cause === 'cancelled') return { status: 'cancelled', output: null, error: null };
    if (cause === 'interrupted') return { status: 'interrupted', output: null, error: INTERRUPTED };
    if (cause === 'timed_out') {
      return {
        status: 'timed_out',
        output: null,
        error: `the run took longer than its deployment's timeout of ${this.deps.deployment.timeout} s; raise timeout on the deployment if it needs more`,
      };
    }
    if (error instanceof TurnLimitReached || error instanceof RunToolsError) {
      return { status: 'failed', output: null, error: error.message };
    }
    const message = error instanceof Error ? error.message : String(error);
    // Programming errors get their stack in the server log; expected failures only their message.
    if (
      !(error instanceof Error) ||
      ['Error', 'TypeError', 'ReferenceError', 'RangeError'].includes(error.name)
    ) {
      this.log(`runtools: run ${this.deps.run.id} failed: ${error instanceof Error ? error.stack : message}`);
    }
    return { status: 'failed', output: null, error: this.deps.redactor.string(message) };
  }

  /** The eval hook (AfterRun), when there is one and the agent got as far as a sandbox. */
  private async runAfterRun(outcome: RunOutcome): Promise<void> {
    if (!this.deps.afterRun || !this.sandbox) return;
    if (outcome.status !== 'completed' && outcome.status !== 'failed') return;
    try {
      await this.deps.afterRun(this.sandbox, outcome, this.deps.control.signal);
    } catch (error) {
      this.log(`runtools: run ${this.deps.run.id}: after-run checks failed: ${(error as Error).message}`);
    }
  }

  /**
   * Files, the row, then the terminal event, with nothing slow before it: the sandbox is removed
   * afterwards (`released`; cancel and timeout have already stopped its processes through the
   * run's signal, and restart recovery removes any container a crash leaves behind).
   */
  private async finish(result: RunOutcome): Promise<RunOutcome> {
    const { store, run } = this.deps;
    this.timeout.stop();
    // A run can end before its sandbox is up (no tool call yet): it ends once the start settles,
    // and a sandbox that failed to start fails a run that would have completed.
    await this.sandboxStart?.catch(() => undefined);
    const outcome =
      result.status === 'completed' && this.sandboxError ? this.failure(this.sandboxError) : result;
    this.devUrls?.stop();
    let files: FileChange[] = [];
    try {
      files = this.deps.redactor.value((await this.tracker?.changes()) ?? []);
    } catch (error) {
      this.log(`runtools: run ${run.id}: change tracking failed: ${(error as Error).message}`);
    }
    this.reportUnseen(files);
    await this.runAfterRun(outcome);
    this.usageEvents.flush();
    this.deltas.flush();
    this.ended = true;
    const endedAt = this.deps.now();
    this.persist();
    store.runs.update(run.id, {
      status: outcome.status,
      statusReason: outcome.error ?? (outcome.status === 'cancelled' ? 'cancelled by request' : null),
      output: outcome.output,
      error: outcome.error,
      files,
      endedAt: endedAt.toISOString(),
    });
    if (outcome.error) this.emit({ type: 'error', message: outcome.error });
    if (outcome.status === 'completed') this.emit({ type: 'complete', output: outcome.output ?? '' });
    this.emit({
      type: 'status',
      status: outcome.status,
      ...(outcome.error
        ? { reason: outcome.error }
        : outcome.status === 'cancelled'
          ? { reason: 'cancelled by request' }
          : {}),
    });
    this.released = this.release();
    return outcome;
  }

  /** Stops change tracking and removes the sandbox; failures go to the server log. */
  private async release(): Promise<void> {
    const { run } = this.deps;
    try {
      await this.toolbox?.close();
    } catch (error) {
      this.log(`runtools: run ${run.id}: stopping its MCP servers failed: ${(error as Error).message}`);
    }
    try {
      await this.tracker?.stop();
    } catch (error) {
      this.log(`runtools: run ${run.id}: stopping change tracking failed: ${(error as Error).message}`);
    }
    try {
      await this.sandbox?.dispose();
    } catch (error) {
      this.log(`runtools: run ${run.id}: removing its sandbox failed: ${(error as Error).message}`);
    }
  }
}

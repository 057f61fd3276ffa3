import { readFile } from 'node:fs/promises';
import type { ToolContext, ToolEmitted, ToolSettings } from '../../tools/types.js';
import { RunToolsError } from '../api/errors.js';
import { addUsage, emptyUsage, type Message, type TokenUsage } from '../api/messages.js';
import type {
  AgentRunStatus,
  EventPayload,
  FileChange,
  RuntimeConfig,
  RunUsage,
  ToolCallRecord,
} from '../api/types.js';
import type { Sandbox } from '../sandbox/types.js';
import type { DeploymentConfig } from '../store/deployments.js';
import type { ResolvedMount, RunRow } from '../store/runs.js';
import type { Store } from '../store/store.js';
import { DevUrlWatcher } from './dev-urls.js';
import type { RunEventLog } from './event-log.js';
import { agentLoop, TurnLimitReached } from './loop/agent-loop.js';
import type { ChangeTracker, RunParts } from './parts.js';
import type { Redactor } from './redact.js';
import { type RunControl, RunStopped } from './run-control.js';
import { toHostPath, toSandboxPath, WORKSPACE } from './run-paths.js';
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
}

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
 */
export class RunExecution {
  private sandbox: Sandbox | undefined;
  private tracker: ChangeTracker | undefined;
  private readonly messages: Message[] = [];
  private readonly toolCalls: ToolCallRecord[] = [];
  private usage: TokenUsage = emptyUsage();
  private cost: number | null = 0;
  private turns = 0;
  private devUrls: DevUrlWatcher | undefined;
  private devUrl: string | null = null;
  /** Paths edit_file reported that the workspace watcher has not seen yet: it must not report them twice. */
  private readonly toolEdits = new Set<string>();
  private readonly timeout: RunTimeout;
  private pauseReason = 'paused by request; resume() continues it';
  private readonly toolState = new Map<string, unknown>();
  readonly timing: RunTiming = { wallMs: 0, modelMs: 0, toolMs: 0, steps: 0 };

  constructor(private readonly deps: RunExecutionDeps) {
    this.timeout = new RunTimeout(deps.deployment.timeout, () => deps.control.stop('timed_out'));
  }

  /** Server log lines go through the redactor too: a stack trace can quote a secret. */
  private log(message: string): void {
    this.deps.log(this.deps.redactor.string(message));
  }

  private emit = (payload: EventPayload): void => {
    this.deps.events.append(
      this.deps.run.id,
      this.deps.redactor.active ? this.deps.redactor.value(payload) : payload,
    );
  };

  private setStatus(status: AgentRunStatus, reason: string | null): void {
    this.deps.store.runs.update(this.deps.run.id, { status, statusReason: reason });
    this.emit({ type: 'status', status, ...(reason ? { reason } : {}) });
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
        tools: this.deps.parts.toolSpecs(this.deps.runtime.tools),
        maxTurns: this.deps.runtime.maxTurns,
        messages: this.messages,
        signal: control.signal,
        emit: this.emit,
        checkpoint: async () => {
          await control.checkpoint(this.pauseHooks);
          return control.takeInputs().map((input) => this.deps.redactor.string(input));
        },
        hasInput: () => control.hasInput,
        toolStep: {
          enabled: this.deps.runtime.tools,
          execute: (name, input, signal) =>
            this.deps.parts.executeTool(name, input, this.toolContext(signal)),
          redactor: this.deps.redactor,
          checkpoint: (tool) => {
            if (this.deps.run.input.pauseBeforeTools && !control.stopCause) {
              control.holdNext();
              this.pauseReason = `paused before ${tool}; resume() runs it`;
            }
            return control.checkpoint(this.pauseHooks);
          },
          afterTool: async () => this.devUrls?.check(),
          now: this.deps.now,
        },
        onProgress: (progress) => this.onProgress(progress),
      });
      outcome = { status: 'completed', output: this.deps.redactor.string(result.output), error: null };
    } catch (error) {
      outcome = this.failure(error);
    }
    const finished = await this.finish(outcome);
    this.timing.wallMs = performance.now() - started;
    return finished;
  }

  private adapter: ReturnType<RunParts['createModel']> | undefined;

  private readonly pauseHooks = {
    paused: () => {
      this.timeout.stop();
      this.setStatus('paused', this.pauseReason);
      this.pauseReason = 'paused by request; resume() continues it';
    },
    resumed: () => {
      this.setStatus('running', null);
      this.timeout.start();
    },
  };

  /** Model, sandbox, change tracking and the first user turn. */
  private async prepare(): Promise<void> {
    const { run, deployment, parts, control } = this.deps;
    this.adapter = parts.createModel(this.deps.runtime.model);
    const factory = parts.sandboxes[deployment.sandbox];
    if (!factory) {
      throw new RunToolsError(
        'unavailable',
        `the ${deployment.sandbox} sandbox is not available in this server; set sandbox: 'local' or 'docker' on the deployment`,
      );
    }
    const unwatch = parts.watchBuilds?.(deployment.templateSlug, (step) =>
      this.emit({ type: 'build', template: deployment.templateSlug, step }),
    );
    this.sandbox = await factory
      .create(
        {
          runId: run.id,
          template: deployment.templateSlug,
          mounts: this.deps.mounts.map((m) => ({
            hostPath: m.hostPath,
            containerPath: m.path,
            readOnly: m.readOnly === true,
          })),
          env: this.deps.secrets,
          network: deployment.network,
          limits: deployment.limits,
        },
        control.signal,
      )
      .finally(() => unwatch?.());
    control.throwIfStopped();
    const workspace = this.deps.mounts.find((m) => m.path === WORKSPACE)!;
    this.tracker = await parts.trackChanges(workspace.hostPath, (change) => this.onWorkspaceChange(change));
    this.messages.push(...run.input.context.history);
    this.messages.push({ role: 'user', content: [{ type: 'text', text: await this.firstMessage() }] });
    this.persist();
    this.devUrls = new DevUrlWatcher(this.sandbox, (port, url) => this.reportDevUrl(port, url));
    this.devUrls.start();
  }

  /** The user's message, with the context files' contents after it. */
  private async firstMessage(): Promise<string> {
    const { run, redactor } = this.deps;
    const parts = [redactor.string(run.input.message)];
    for (const file of run.input.context.files) {
      const sandboxPath = toSandboxPath(file, this.deps.mounts);
      let content: string;
      try {
        content = await readFile(toHostPath(sandboxPath, this.deps.mounts), 'utf8');
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

  private toolContext(signal: AbortSignal): ToolContext {
    return {
      runId: this.deps.run.id,
      sandbox: this.sandbox!,
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
      this.emit({ type: 'file_edit', path: event.path, diff: event.diff, change: event.change });
    } else {
      this.devUrls?.add(event.port, event.url);
    }
  }

  /** Changes seen on disk: bash and anything else that is not edit_file (which reports its own). */
  private onWorkspaceChange(change: FileChange): void {
    const sandboxPath = change.path.startsWith('/') ? change.path : `${WORKSPACE}/${change.path}`;
    if (this.toolEdits.delete(sandboxPath)) return;
    this.emit({ type: 'file_edit', path: sandboxPath, diff: change.diff, change: change.change });
  }

  private reportDevUrl(port: number, url: string): void {
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
      this.emit({ type: 'usage', usage: this.runUsage() });
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

  private persist(): void {
    const { redactor } = this.deps;
    this.deps.store.runs.update(this.deps.run.id, {
      messages: redactor.value(this.messages),
      toolCalls: redactor.value(this.toolCalls),
      usage: this.runUsage(),
      turns: this.turns,
    });
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

  private async finish(outcome: RunOutcome): Promise<RunOutcome> {
    const { store, run } = this.deps;
    this.timeout.stop();
    this.devUrls?.stop();
    let files: FileChange[] = [];
    try {
      files = this.deps.redactor.value((await this.tracker?.changes()) ?? []);
      await this.tracker?.stop();
    } catch (error) {
      this.log(`runtools: run ${run.id}: change tracking failed: ${(error as Error).message}`);
    }
    try {
      await this.sandbox?.dispose();
    } catch (error) {
      this.log(`runtools: run ${run.id}: removing its sandbox failed: ${(error as Error).message}`);
    }
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
    return outcome;
  }
}

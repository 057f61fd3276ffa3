import type { ToolSettings } from '../../tools/types.js';
import type { AgentRunDetail, EventsOptions, RunExport, RunFileEntry } from '../api/contract.js';
import { conflict, invalid, notFound } from '../api/errors.js';
import { emptyUsage } from '../api/messages.js';
import {
  type ListRunsQuery,
  listRunsQuerySchema,
  parseInput,
  type RunRequest,
  type RunRequestBody,
  runRequestSchema,
} from '../api/schemas.js';
import {
  type AgentRunData,
  type AgentRunEvent,
  isTerminal,
  type Mount,
  type Page,
  type RunInput,
  type RuntimeConfig,
  type WebhookEvent,
} from '../api/types.js';
import type { DeploymentConfig } from '../store/deployments.js';
import type { ResolvedMount, RunRow } from '../store/runs.js';
import type { Store } from '../store/store.js';
import type { DeploymentService } from './deployments.js';
import { RunEventLog } from './event-log.js';
import { newRunId } from './ids.js';
import type { RunParts } from './parts.js';
import { createRedactor } from './redact.js';
import { RunControl } from './run-control.js';
import { type AfterRun, RunExecution, type RunTiming } from './run-execution.js';
import { listRunFiles, readRunFile } from './run-files.js';
import { importRun } from './run-import.js';
import { WORKSPACE } from './run-paths.js';
import { type RuntimeService, redactModel, runtimeConfigOf } from './runtimes.js';
import { Scheduler } from './scheduler.js';
import type { SecretSource } from './secrets.js';
import type { WebhookSender } from './webhooks.js';
import type { WorkspaceService } from './workspaces.js';

export interface RunServiceDeps {
  store: Store;
  parts: RunParts;
  runtimes: RuntimeService;
  deployments: DeploymentService;
  workspaces: WorkspaceService;
  secrets: SecretSource;
  webhooks: WebhookSender;
  toolSettings: () => ToolSettings;
  now: () => Date;
  log: (message: string) => void;
}

/** What an eval adds to a run it starts; never part of a request body. */
export interface RunExtras {
  /** Recorded on the run's input: which eval, case, variant and trial it is. */
  eval?: NonNullable<RunInput['eval']>;
  afterRun?: AfterRun;
}

interface LiveRun {
  control: RunControl;
  deployment: string;
  done: Promise<void>;
}

const WEBHOOK_FOR: Partial<Record<AgentRunData['status'], WebhookEvent>> = {
  completed: 'run.completed',
  failed: 'run.failed',
  cancelled: 'run.cancelled',
  timed_out: 'run.timed_out',
};

/** Starting, queueing, steering and reading runs. */
export class RunService {
  readonly events: RunEventLog;
  private readonly scheduler: Scheduler;
  private readonly live = new Map<string, LiveRun>();
  /** Timings of the most recent runs, for benchmarks and diagnostics. */
  readonly timings = new Map<string, RunTiming>();
  /** Sandboxes of ended runs still being removed (after their terminal event); close waits for them. */
  private readonly releasing = new Set<Promise<void>>();

  constructor(private readonly deps: RunServiceDeps) {
    this.events = new RunEventLog(deps.store.events, deps.now);
    this.scheduler = new Scheduler(
      (deployment) => deps.store.deployments.get(deployment)?.config.maxConcurrent ?? 1,
      (positions) => {
        for (const [runId, queuePosition] of positions) {
          this.events.append(runId, {
            type: 'status',
            status: 'queued',
            queuePosition,
            reason: `waiting for a slot (position ${queuePosition})`,
          });
        }
      },
    );
  }

  /** Creates the run, queues it, and returns it as stored (usually `queued`). */
  start(apiSlug: string, body: RunRequestBody, extras: RunExtras = {}): AgentRunData {
    const request = parseInput(runRequestSchema, body, 'run request');
    const deployment = this.deps.deployments.row(apiSlug);
    const { runtimeSlug } = deployment.config;
    // The version is fixed now: a config reload while the run waits or runs does not change it.
    const version = request.runtimeVersion
      ? this.deps.runtimes.version(runtimeSlug, request.runtimeVersion, false)
      : this.deps.runtimes.ensureVersion(runtimeSlug, 'run');
    const runtime = runtimeConfigOf(version);
    const missing = this.deps.secrets.missing(deployment.config.secrets);
    if (missing.length > 0) {
      throw invalid(
        `deployment "${apiSlug}" needs secret${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not set; export ${missing.length > 1 ? 'them' : 'it'} or add to .env`,
      );
    }
    const id = newRunId(this.deps.now().getTime());
    const secrets = Object.fromEntries(
      deployment.config.secrets.map((name) => [name, this.deps.secrets.get(name)!]),
    );
    const redactor = createRedactor(secrets);
    this.deps.store.runs.insert({
      id,
      deployment: apiSlug,
      runtimeSlug,
      runtimeVersion: version.version,
      status: 'queued',
      input: redactor.value({
        message: request.message,
        mounts: request.mounts,
        context: request.context,
        ...(request.model ? { model: redactModel(request.model) } : {}),
        ...(request.systemPrompt !== undefined ? { systemPrompt: request.systemPrompt } : {}),
        ...(request.toolChoice ? { toolChoice: request.toolChoice } : {}),
        ...(request.runtimeVersion ? { runtimeVersion: request.runtimeVersion } : {}),
        ...(request.pauseBeforeTools ? { pauseBeforeTools: true } : {}),
        ...(request.toolsetCalls ? { toolsetCalls: request.toolsetCalls } : {}),
        ...(extras.eval ? { eval: extras.eval } : {}),
      }),
      usage: { ...emptyUsage(), costUsd: 0 },
      createdAt: this.deps.now().toISOString(),
    });
    const control = new RunControl(id);
    let settle!: () => void;
    const live: LiveRun = {
      control,
      deployment: apiSlug,
      done: new Promise<void>((resolve) => (settle = resolve)),
    };
    this.live.set(id, live);
    this.events.append(id, { type: 'status', status: 'queued' });
    const launch = () =>
      this.execute(
        id,
        control,
        deployment.config,
        request,
        {
          ...runtime,
          model: request.model ?? runtime.model,
          systemPrompt: request.systemPrompt ?? runtime.systemPrompt,
          toolChoice: request.toolChoice ?? runtime.toolChoice,
        },
        secrets,
        extras.afterRun,
      )
        .catch((error: unknown) => this.endBeforeStart(id, control, error))
        .finally(() => {
          this.live.delete(id);
          this.scheduler.release(id, apiSlug);
          settle();
        });
    this.scheduler.enqueue({ runId: id, deployment: apiSlug, start: () => void launch() });
    return this.data(this.deps.store.runs.get(id)!);
  }

  /** The run's turn has come: mounts, then its execution from first step to end. */
  private async execute(
    id: string,
    control: RunControl,
    deployment: DeploymentConfig,
    request: RunRequest,
    runtime: RuntimeConfig,
    secrets: Record<string, string>,
    afterRun: AfterRun | undefined,
  ): Promise<void> {
    await control.waitWhileHeld();
    const run = this.deps.store.runs.get(id)!;
    const mounts = this.resolveMounts(run, deployment.mounts, request.mounts);
    this.deps.store.runs.update(id, { mounts });
    // The stored input is redacted; the live run works from the request as sent.
    const execution = new RunExecution({
      store: this.deps.store,
      events: this.events,
      parts: this.deps.parts,
      control,
      run: { ...run, input: { ...run.input, message: request.message, context: request.context } },
      deployment,
      runtime,
      mounts,
      secrets,
      redactor: createRedactor(secrets),
      toolSettings: this.deps.toolSettings(),
      now: this.deps.now,
      log: this.deps.log,
      afterRun,
    });
    const outcome = await execution.execute();
    const released = execution.released.finally(() => this.releasing.delete(released));
    this.releasing.add(released);
    this.timings.set(id, execution.timing);
    if (this.timings.size > 1000) this.timings.delete(this.timings.keys().next().value!);
    this.notify(run.deployment, id, outcome.status);
  }

  /** A run stopped (cancelled) or failed before its execution began. */
  private endBeforeStart(id: string, control: RunControl, error: unknown): void {
    const run = this.deps.store.runs.get(id);
    if (!run || isTerminal(run.status)) return;
    const cancelled = control.stopCause === 'cancelled';
    const interrupted = control.stopCause === 'interrupted';
    const status = cancelled ? 'cancelled' : interrupted ? 'interrupted' : 'failed';
    const message = cancelled
      ? null
      : interrupted
        ? `the server stopped while the run was ${control.phase}; start it again to retry`
        : error instanceof Error
          ? error.message
          : String(error);
    this.deps.store.runs.update(id, {
      status,
      statusReason: message ?? 'cancelled by request',
      error: message,
      endedAt: this.deps.now().toISOString(),
    });
    if (message) this.events.append(id, { type: 'error', message });
    this.events.append(id, { type: 'status', status, reason: message ?? 'cancelled by request' });
    this.notify(run.deployment, id, status);
  }

  private notify(apiSlug: string, runId: string, status: AgentRunData['status']): void {
    const deployment = this.deps.store.deployments.get(apiSlug);
    const event = WEBHOOK_FOR[status];
    if (!deployment?.config.webhookUrl || !event || !deployment.config.webhookEvents.includes(event)) return;
    this.deps.webhooks.send(deployment.config.webhookUrl, event, this.data(this.deps.store.runs.get(runId)!));
  }

  /** Deployment mounts, then the run's (a run mount at the same path wins); /workspace always exists. */
  private resolveMounts(
    run: Pick<RunRow, 'id'>,
    deploymentMounts: Mount[],
    runMounts: Mount[],
    make = true,
  ): ResolvedMount[] {
    const byPath = new Map<string, Mount>();
    for (const mount of [...deploymentMounts, ...runMounts])
      byPath.set(mount.path.replace(/\/+$/, ''), mount);
    if (!byPath.has(WORKSPACE)) byPath.set(WORKSPACE, { workspaceId: run.id, path: WORKSPACE });
    return [...byPath.entries()]
      .sort(([a], [b]) => (a === WORKSPACE ? -1 : b === WORKSPACE ? 1 : a.localeCompare(b)))
      .map(([mountPath, mount]) => ({
        ...mount,
        path: mountPath,
        hostPath:
          make || mount.workspaceId !== run.id
            ? this.deps.workspaces.resolve(mount.workspaceId).path
            : this.deps.workspaces.managedPath(mount.workspaceId),
      }));
  }

  /**
   * Has a warm container made for the deployment's next run (when the server keeps warm ones and
   * its template image is built): its first run need not wait for a container either.
   */
  prewarm(apiSlug: string): void {
    const factory = this.deps.parts.sandboxes.docker;
    const deployment = this.deps.store.deployments.get(apiSlug)?.config;
    if (!factory?.prewarm || deployment?.sandbox !== 'docker') return;
    let mounts: ResolvedMount[];
    try {
      // A placeholder run id: its managed folder is never made, the warm container gets one of its own.
      mounts = this.resolveMounts({ id: '.prewarm' }, deployment.mounts, [], false);
    } catch {
      return;
    }
    factory.prewarm({
      template: deployment.templateSlug,
      mounts: mounts.map((m) => ({
        hostPath: m.hostPath,
        containerPath: m.path,
        readOnly: m.readOnly === true,
      })),
      freshWorkspace: mounts.find((m) => m.path === WORKSPACE)?.workspaceId === '.prewarm',
      network: deployment.network,
      limits: deployment.limits,
    });
  }

  /** A deployment's settings changed: a raised maxConcurrent starts waiting runs now; its next run's container is made ahead. */
  deploymentChanged(apiSlug: string): void {
    this.scheduler.pump(apiSlug);
    this.prewarm(apiSlug);
  }

  /** Resolves when the run has ended. */
  async wait(id: string): Promise<AgentRunData> {
    await this.live.get(id)?.done;
    return this.get(id);
  }

  get(id: string): AgentRunData {
    return this.data(this.row(id));
  }

  detail(id: string): AgentRunDetail {
    this.events.flush();
    return { ...this.get(id), events: this.deps.store.events.after(id, 0, 1_000_000) };
  }

  list(query: ListRunsQuery): Page<AgentRunData> {
    const q = parseInput(listRunsQuerySchema, query, 'runs query');
    const rows = this.deps.store.runs.list({
      deployment: q.deployment,
      status: q.status,
      text: q.q || undefined,
      before: q.cursor,
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    return {
      data: page.map((row) => this.data(row)),
      nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null,
    };
  }

  events$(id: string, options: EventsOptions = {}): AsyncIterable<AgentRunEvent> {
    this.row(id);
    return this.events.subscribe(id, {
      after: options.after ?? 0,
      follow: options.follow ?? true,
      signal: options.signal,
      isEnded: () => !this.live.has(id),
    });
  }

  pause(id: string): AgentRunData {
    const live = this.liveRun(id, 'paused');
    live.control.requestPause();
    if (live.control.phase === 'queued' && this.scheduler.hold(id, live.deployment, true)) {
      live.control.phase = 'paused';
      this.deps.store.runs.update(id, {
        status: 'paused',
        statusReason: 'paused while queued; resume() puts it back in line',
      });
      this.events.append(id, { type: 'status', status: 'paused', reason: 'paused while queued' });
    }
    return this.get(id);
  }

  resume(id: string): AgentRunData {
    const live = this.liveRun(id, 'resumed');
    const wasQueuedPause = live.control.phase === 'paused' && this.scheduler.isQueued(id, live.deployment);
    live.control.resume();
    if (wasQueuedPause) {
      live.control.phase = 'queued';
      this.deps.store.runs.update(id, { status: 'queued', statusReason: null });
      this.events.append(id, {
        type: 'status',
        status: 'queued',
        queuePosition: this.scheduler.position(id, live.deployment) ?? 1,
      });
      this.scheduler.hold(id, live.deployment, false);
    }
    return this.get(id);
  }

  async cancel(id: string): Promise<AgentRunData> {
    const live = this.liveRun(id, 'cancelled');
    live.control.stop('cancelled');
    if (this.scheduler.isQueued(id, live.deployment)) {
      this.scheduler.release(id, live.deployment);
      this.endBeforeStart(id, live.control, undefined);
      this.live.delete(id);
    }
    return this.wait(id);
  }

  deny(id: string, reason: string): AgentRunData {
    const live = this.liveRun(id, 'denied a tool call');
    live.control.deny(reason);
    return this.get(id);
  }

  sendInput(id: string, message: string): AgentRunData {
    const live = this.liveRun(id, 'sent input');
    if (live.control.stopCause) throw conflict(`run ${id} is stopping; it takes no more input`);
    live.control.addInput(message);
    return this.get(id);
  }

  listFiles(id: string, dir: string): Promise<RunFileEntry[]> {
    return listRunFiles(
      id,
      this.mountsOf(this.row(id)),
      dir,
      this.deps.parts.sandboxes.docker?.running?.(id),
    );
  }

  readFile(id: string, file: string): Promise<string> {
    return readRunFile(
      id,
      this.mountsOf(this.row(id)),
      file,
      this.deps.parts.sandboxes.docker?.running?.(id),
    );
  }

  /** Stores an exported run (see RunExport). */
  import(bundle: RunExport): AgentRunDetail {
    importRun(this.deps.store, bundle, this.deps.now);
    return this.detail(bundle.run.id);
  }

  /** Marks runs a previous server left unfinished as interrupted and removes their containers. */
  async recover(): Promise<string[]> {
    const stranded = (['running', 'queued', 'paused'] as const).flatMap((status) =>
      this.deps.store.runs.withStatus(status),
    );
    for (const run of stranded) {
      const reason = `the server stopped while the run was ${run.status}; start it again to retry`;
      this.deps.store.runs.update(run.id, {
        status: 'interrupted',
        statusReason: reason,
        endedAt: this.deps.now().toISOString(),
      });
      this.events.append(run.id, { type: 'error', message: reason });
      this.events.append(run.id, { type: 'status', status: 'interrupted', reason });
    }
    this.events.flush();
    if (stranded.length > 0)
      await this.deps.parts.removeRunContainers?.(stranded.map((r) => r.id)).catch(() => {});
    return stranded.map((r) => r.id);
  }

  /** Stops every live run and waits for them to end (server shutdown: they end `interrupted`). */
  async stopAll(cause: 'cancelled' | 'interrupted' = 'interrupted'): Promise<void> {
    const lives = [...this.live.values()];
    for (const live of lives) live.control.stop(cause);
    await Promise.all(lives.map((l) => l.done));
    await Promise.all([...this.releasing]);
    this.events.flush();
  }

  private mountsOf(run: RunRow): ResolvedMount[] {
    if (run.mounts.length > 0) return run.mounts;
    // Not started yet: its workspace is the one it will get.
    return [{ workspaceId: run.id, path: WORKSPACE, hostPath: this.deps.workspaces.resolve(run.id).path }];
  }

  private liveRun(id: string, verb: string): LiveRun {
    const run = this.row(id);
    const live = this.live.get(id);
    if (!live)
      throw conflict(`run ${id} is ${run.status}; it cannot be ${verb} any more`, { status: run.status });
    return live;
  }

  private row(id: string): RunRow {
    const run = this.deps.store.runs.get(id);
    if (!run) throw notFound(`run "${id}" not found; list runs with rt.runs.list()`);
    return run;
  }

  private data(row: RunRow): AgentRunData {
    const { mounts: _mounts, ...run } = row;
    const live = this.live.get(row.id);
    const ended = row.endedAt ? Date.parse(row.endedAt) : this.deps.now().getTime();
    return {
      ...run,
      queuePosition: live && row.status === 'queued' ? this.scheduler.position(row.id, row.deployment) : null,
      durationMs: row.startedAt ? ended - Date.parse(row.startedAt) : null,
    };
  }
}

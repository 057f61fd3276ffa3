import type { AgentRunEvent, AgentRunStatus, RunUsage } from '../../api/types.js';

/** One row of a run's timeline: consecutive text deltas become one text, a tool call meets its result. */
export type TimelineItem = { key: string; firstSeq: number; lastSeq: number; at: string } & (
  | { kind: 'text'; content: string }
  | { kind: 'thinking'; content: string }
  | {
      kind: 'tool';
      tool: string;
      callId: string;
      input: unknown;
      result?: { output: string; isError: boolean };
      /** Held before it runs (approval or pause-before-tools), until the run goes on. */
      held?: 'approval' | 'pause';
    }
  | { kind: 'file_edit'; path: string; diff: string; change: string }
  | { kind: 'dev_url'; url: string; port: number }
  | { kind: 'integration'; integration: string; action: string; summary: string }
  | { kind: 'input'; content: string }
  | { kind: 'build'; template: string; steps: string[] }
  /** Usage of turns `from`..`to` (one event can follow several turns: they are sent once a second). */
  | { kind: 'usage'; from: number; to: number; turnUsage: RunUsage; total: RunUsage }
  | { kind: 'status'; status: AgentRunStatus; reason?: string; queuePosition?: number }
  | { kind: 'error'; message: string }
  | { kind: 'complete'; output: string }
);

const ZERO: RunUsage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  costUsd: 0,
};

function minus(total: RunUsage, before: RunUsage): RunUsage {
  return {
    inputTokens: total.inputTokens - before.inputTokens,
    outputTokens: total.outputTokens - before.outputTokens,
    cacheReadTokens: (total.cacheReadTokens ?? 0) - (before.cacheReadTokens ?? 0),
    cacheWriteTokens: (total.cacheWriteTokens ?? 0) - (before.cacheWriteTokens ?? 0),
    reasoningTokens: (total.reasoningTokens ?? 0) - (before.reasoningTokens ?? 0),
    costUsd: total.costUsd === null || before.costUsd === null ? null : total.costUsd - before.costUsd,
  };
}

/**
 * Folds events into timeline rows, appending to `into` (so a live run costs only its new events).
 * `state` carries what folding needs across calls.
 */
export class TimelineBuilder {
  readonly items: TimelineItem[] = [];
  private readonly tools = new Map<string, number>();
  private lastUsage: RunUsage = ZERO;
  private turns = 0;

  add(events: readonly AgentRunEvent[]): void {
    for (const event of events) this.one(event);
  }

  private one(event: AgentRunEvent): void {
    const base = { key: `e${event.seq}`, firstSeq: event.seq, lastSeq: event.seq, at: event.timestamp };
    const last = this.items[this.items.length - 1];
    switch (event.type) {
      case 'text':
      case 'thinking':
        if (last?.kind === event.type) {
          this.items[this.items.length - 1] = {
            ...last,
            content: last.content + event.content,
            lastSeq: event.seq,
          };
        } else this.items.push({ ...base, kind: event.type, content: event.content });
        return;
      case 'tool_call':
        this.tools.set(event.callId, this.items.length);
        this.items.push({
          ...base,
          kind: 'tool',
          tool: event.tool,
          callId: event.callId,
          input: event.input,
        });
        return;
      case 'tool_result': {
        const index = this.tools.get(event.callId);
        const call = index === undefined ? undefined : this.items[index];
        if (call?.kind === 'tool') {
          this.items[index!] = {
            ...call,
            lastSeq: event.seq,
            result: { output: event.output, isError: event.isError },
          };
        } else
          this.items.push({
            ...base,
            kind: 'tool',
            tool: event.tool,
            callId: event.callId,
            input: undefined,
            result: { output: event.output, isError: event.isError },
          });
        return;
      }
      case 'build':
        if (last?.kind === 'build' && last.template === event.template) {
          this.items[this.items.length - 1] = {
            ...last,
            steps: [...last.steps, event.step],
            lastSeq: event.seq,
          };
        } else this.items.push({ ...base, kind: 'build', template: event.template, steps: [event.step] });
        return;
      case 'usage': {
        // Runs recorded before usage events said their turn count had one event per turn.
        const to = event.turns ?? this.turns + 1;
        const from = Math.min(this.turns + 1, to);
        this.turns = to;
        this.items.push({
          ...base,
          kind: 'usage',
          from,
          to,
          turnUsage: minus(event.usage, this.lastUsage),
          total: event.usage,
        });
        this.lastUsage = event.usage;
        return;
      }
      case 'file_edit':
        this.items.push({
          ...base,
          kind: 'file_edit',
          path: event.path,
          diff: event.diff,
          change: event.change,
        });
        return;
      case 'dev_url':
        this.items.push({ ...base, kind: 'dev_url', url: event.url, port: event.port });
        return;
      case 'input':
        this.items.push({ ...base, kind: 'input', content: event.content });
        return;
      case 'integration':
        this.items.push({
          ...base,
          kind: 'integration',
          integration: event.integration,
          action: event.action,
          summary: event.summary,
        });
        return;
      case 'status':
        this.markHeld(event);
        this.items.push({
          ...base,
          kind: 'status',
          status: event.status,
          ...(event.reason ? { reason: event.reason } : {}),
          ...(event.queuePosition !== undefined ? { queuePosition: event.queuePosition } : {}),
        });
        return;
      case 'error':
        this.items.push({ ...base, kind: 'error', message: event.message });
        return;
      case 'complete':
        this.items.push({ ...base, kind: 'complete', output: event.output });
        return;
      default: {
        const never: never = event;
        void never;
      }
    }
  }

  /** A call held before it runs is not "running"; the run going on (or ending) releases it. */
  private markHeld(event: Extract<AgentRunEvent, { type: 'status' }>): void {
    for (const [callId, index] of this.tools) {
      const item = this.items[index];
      if (item?.kind !== 'tool' || item.result) continue;
      const held =
        event.status === 'paused' && event.awaiting?.callId === callId
          ? event.awaiting.approval
            ? 'approval'
            : 'pause'
          : undefined;
      if (item.held !== held) this.items[index] = { ...item, held };
    }
  }
}

/** A run waiting for, or holding, a slot of its deployment. */
export interface Ticket {
  runId: string;
  deployment: string;
  /** True while the run is paused in the queue: the scheduler passes over it. */
  held: boolean;
  start: () => void;
}

interface Lane {
  running: Set<string>;
  queue: Ticket[];
}

/**
 * Per-deployment FIFO queues with `maxConcurrent` slots each. Deployments never wait on each
 * other; within one, runs start in arrival order as slots free up.
 */
export class Scheduler {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly limitOf: (deployment: string) => number,
    private readonly onPositions: (positions: Map<string, number>) => void = () => {},
  ) {}

  private lane(deployment: string): Lane {
    let lane = this.lanes.get(deployment);
    if (!lane) {
      lane = { running: new Set(), queue: [] };
      this.lanes.set(deployment, lane);
    }
    return lane;
  }

  enqueue(ticket: Omit<Ticket, 'held'>): void {
    this.lane(ticket.deployment).queue.push({ ...ticket, held: false });
    this.pump(ticket.deployment);
  }

  /** Frees the run's slot (or drops it from the queue) and starts whoever is next. */
  release(runId: string, deployment: string): void {
    const lane = this.lane(deployment);
    lane.running.delete(runId);
    lane.queue = lane.queue.filter((t) => t.runId !== runId);
    this.pump(deployment);
  }

  /** Holds or releases a queued run in place (pause/resume while queued). */
  hold(runId: string, deployment: string, held: boolean): boolean {
    const ticket = this.lane(deployment).queue.find((t) => t.runId === runId);
    if (!ticket) return false;
    ticket.held = held;
    this.pump(deployment);
    return true;
  }

  isQueued(runId: string, deployment: string): boolean {
    return this.lane(deployment).queue.some((t) => t.runId === runId);
  }

  /** 1-based position among the runs waiting for this deployment, or null. */
  position(runId: string, deployment: string): number | null {
    const index = this.lane(deployment).queue.findIndex((t) => t.runId === runId);
    return index === -1 ? null : index + 1;
  }

  /** Re-checks a deployment after its limit changed. */
  pump(deployment: string): void {
    const lane = this.lane(deployment);
    const limit = this.limitOf(deployment);
    let started = false;
    while (lane.running.size < limit) {
      const index = lane.queue.findIndex((t) => !t.held);
      if (index === -1) break;
      const [ticket] = lane.queue.splice(index, 1);
      lane.running.add(ticket!.runId);
      started = true;
      ticket!.start();
    }
    if (started && lane.queue.length > 0) {
      this.onPositions(new Map(lane.queue.map((t, i) => [t.runId, i + 1])));
    }
  }
}

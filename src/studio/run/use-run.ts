import { useEffect, useRef, useState } from 'preact/hooks';
import type { AgentRunDetail } from '../../api/contract.js';
import { type AgentRunEvent, type AgentRunStatus, isTerminal } from '../../api/types.js';
import type { Client } from '../api/client.js';
import { TimelineBuilder } from './timeline-items.js';

export interface LiveRun {
  run: AgentRunDetail | undefined;
  error: Error | undefined;
  builder: TimelineBuilder;
  /** The status the last status event gave (ahead of `run` while the run goes). */
  status: AgentRunStatus | undefined;
  /** Why the run is paused (for a run held before a tool call, which tool). */
  reason: string | undefined;
  queuePosition: number | undefined;
  /** Bumped when rows change. */
  version: number;
  refresh(): void;
}

/**
 * A run and its timeline, live: the stored events first, then the stream from the last one seen.
 * Events that arrive in one frame are folded in together (one render per frame, not per delta).
 */
export function useRun(client: Client, id: string): LiveRun {
  const [run, setRun] = useState<AgentRunDetail>();
  const [error, setError] = useState<Error>();
  const [version, setVersion] = useState(0);
  const [reload, setReload] = useState(0);
  const state = useRef({
    builder: new TimelineBuilder(),
    status: undefined as AgentRunStatus | undefined,
    reason: undefined as string | undefined,
    queuePosition: undefined as number | undefined,
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload asks for the run again
  useEffect(() => {
    const abort = new AbortController();
    const builder = new TimelineBuilder();
    state.current = { builder, status: undefined, reason: undefined, queuePosition: undefined };
    let pending: AgentRunEvent[] = [];
    let frame = 0;
    const apply = (events: AgentRunEvent[]) => {
      builder.add(events);
      for (const event of events)
        if (event.type === 'status') {
          state.current.status = event.status;
          state.current.reason = event.reason;
          state.current.queuePosition = event.queuePosition;
        }
      setVersion((v) => v + 1);
    };
    const flush = () => {
      frame = 0;
      const events = pending;
      pending = [];
      apply(events);
      if (events.some((e) => e.type === 'status' || e.type === 'usage' || e.type === 'file_edit')) refetch();
    };
    // The run's totals (usage, files, duration) come from the server; one request at a time.
    let fetching = false;
    let again = false;
    const refetch = () => {
      if (fetching) {
        again = true;
        return;
      }
      fetching = true;
      client.runs
        .get(id)
        .then(
          (fresh) => !abort.signal.aborted && setRun(fresh),
          () => undefined,
        )
        .finally(() => {
          fetching = false;
          if (again && !abort.signal.aborted) {
            again = false;
            refetch();
          }
        });
    };
    client.runs
      .get(id)
      .then(
        (detail) => {
          if (abort.signal.aborted) return;
          setRun(detail);
          apply(detail.events);
          const last = detail.events[detail.events.length - 1];
          if (isTerminal(detail.status)) return;
          return client.runs.follow(id, {
            after: last?.seq ?? 0,
            signal: abort.signal,
            onEvent: (event) => {
              pending.push(event);
              frame ||= requestAnimationFrame(flush);
            },
          });
        },
        (failure: unknown) => setError(failure as Error),
      )
      .catch((failure: unknown) => !abort.signal.aborted && setError(failure as Error));
    return () => {
      abort.abort();
      cancelAnimationFrame(frame);
    };
  }, [client, id, reload]);

  return {
    run,
    error,
    builder: state.current.builder,
    status: state.current.status ?? run?.status,
    reason: state.current.reason,
    queuePosition: state.current.queuePosition,
    version,
    refresh: () => setReload((n) => n + 1),
  };
}

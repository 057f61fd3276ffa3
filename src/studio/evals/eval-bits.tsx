import type { EvalProgress, EvalStatus } from '../../api/evals.js';

const STATUS_CLASS: Record<EvalStatus, string> = {
  running: 'status-running',
  completed: 'status-completed',
  cancelled: 'status-cancelled',
  failed: 'status-failed',
};

export function EvalStatusBadge({ status }: { status: EvalStatus }) {
  return <span class={`badge ${STATUS_CLASS[status]}`}>{status}</span>;
}

/** "3/12 done · 2 running · 7 queued". */
export function Progress({ progress }: { progress: EvalProgress }) {
  return (
    <span class="muted eval-progress">
      {' '}
      {progress.done}/{progress.total} done · {progress.running} running · {progress.queued} queued
    </span>
  );
}

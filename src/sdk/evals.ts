import type { RunToolsApi } from '../api/contract.js';
import type { EvalData, EvalDetail, StartEvalBody } from '../api/evals.js';

export interface EvalRunOptions {
  /** Called with the eval as it goes (trials done / total, running, queued), about every `pollMs`. */
  onProgress?: (evalData: EvalData) => void;
  /** How often to look at the eval's progress; default 100 ms (a look costs the server about 1 ms). */
  pollMs?: number;
  /** Aborting cancels the eval (its runs in flight are cancelled; what finished is kept). */
  signal?: AbortSignal;
}

/** `rt.evals`: run a suite over variants and read the results. */
export function evalsResource(api: RunToolsApi) {
  return {
    /**
     * Starts an eval and resolves when it has ended, with every trial and its report. Its trials are
     * ordinary runs, queued by the deployment like any other.
     */
    async run(body: StartEvalBody, options: EvalRunOptions = {}): Promise<EvalDetail> {
      const started = await api.evals.start(body);
      const pollMs = options.pollMs ?? 100;
      const onAbort = () => void api.evals.cancel(started.id).catch(() => undefined);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        while (true) {
          const current = await api.evals.get(started.id);
          options.onProgress?.(current);
          if (current.status !== 'running') return current;
          await new Promise((resolve) => setTimeout(resolve, pollMs));
        }
      } finally {
        options.signal?.removeEventListener('abort', onAbort);
      }
    },
    /** Starts an eval and resolves at once (status `running`). */
    start: (body: StartEvalBody): Promise<EvalData> => api.evals.start(body),
    get: (id: string): Promise<EvalDetail> => api.evals.get(id),
    list: (): Promise<EvalData[]> => api.evals.list(),
    /** Cancels the eval's runs in flight and keeps what finished. */
    cancel: (id: string): Promise<EvalData> => api.evals.cancel(id),
  };
}

import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { Client } from '../api/client.js';

export const ClientContext = createContext<Client | undefined>(undefined);

export function useClient(): Client {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside the app');
  return client;
}

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  reload(): void;
}

/**
 * Data from the server for a view, loaded when `deps` change and again every `pollMs` (live views).
 * Only the latest answer is kept: a slow earlier request never overwrites a newer one.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], pollMs?: number): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error }>({});
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the load depends on
  useEffect(() => {
    const mine = ++generation.current;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      load().then(
        (data) => {
          if (mine !== generation.current) return;
          setState({ data });
          if (pollMs) timer = setTimeout(run, pollMs);
        },
        (error: unknown) => {
          if (mine !== generation.current) return;
          setState((previous) => ({ data: previous.data, error: error as Error }));
          if (pollMs) timer = setTimeout(run, pollMs * 2);
        },
      );
    };
    run();
    return () => {
      generation.current++;
      clearTimeout(timer);
    };
  }, [...deps, tick]);
  return { data: state.data, error: state.error, reload: () => setTick((t) => t + 1) };
}

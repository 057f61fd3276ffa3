import { useEffect, useState } from 'preact/hooks';
import type { ModelConfig, RuntimeVersion } from '../../api/types.js';
import type { Client } from '../api/client.js';

// Versions never change once made, so they can be kept for the page's life; a version not seen yet
// (a new one) fetches the list again.
const cache = new Map<string, Promise<RuntimeVersion[]>>();

export function versionsOf(client: Client, slug: string, need?: number): Promise<RuntimeVersion[]> {
  const cached = cache.get(slug);
  const fetchAgain = () => {
    const fresh = client.runtimes.versions(slug).catch(() => [] as RuntimeVersion[]);
    cache.set(slug, fresh);
    return fresh;
  };
  if (!cached) return fetchAgain();
  if (need === undefined) return cached;
  return cached.then((list) => (list.some((v) => v.version === need) ? list : fetchAgain()));
}

/** The model each listed run used: its own override, else its runtime version's model. */
export function useRunModels(
  client: Client,
  runs:
    | { id: string; runtimeSlug: string; runtimeVersion: number | null; input: { model?: ModelConfig } }[]
    | undefined,
): Map<string, ModelConfig> {
  const [models, setModels] = useState(new Map<string, ModelConfig>());
  const key = runs?.map((r) => `${r.id}:${r.runtimeVersion}`).join(',') ?? '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what the runs are
  useEffect(() => {
    if (!runs) return;
    let live = true;
    const slugs = new Map<string, number>();
    for (const run of runs)
      slugs.set(run.runtimeSlug, Math.max(slugs.get(run.runtimeSlug) ?? 0, run.runtimeVersion ?? 0));
    Promise.all(
      [...slugs].map(([slug, newest]) =>
        versionsOf(client, slug, newest || undefined).then((v) => [slug, v] as const),
      ),
    ).then((lists) => {
      if (!live) return;
      const bySlug = new Map(lists);
      const next = new Map<string, ModelConfig>();
      for (const run of runs) {
        const model =
          run.input.model ??
          bySlug.get(run.runtimeSlug)?.find((v) => v.version === run.runtimeVersion)?.model;
        if (model) next.set(run.id, model);
      }
      setModels(next);
    });
    return () => {
      live = false;
    };
  }, [client, key]);
  return models;
}

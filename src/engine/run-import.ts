import type { RunExport } from '../api/contract.js';
import { conflict, invalid } from '../api/errors.js';
import type { Store } from '../store/store.js';
import { configKey, runtimeConfigOf } from './runtimes.js';

/**
 * Stores an exported run under its own id, with its events. Its runtime (at the exported
 * version's config) and deployment are created when missing here, so the run can be replayed.
 */
export function importRun(store: Store, bundle: RunExport, now: () => Date): void {
  if (bundle?.format !== 'runtools.run/v1' || !bundle.run?.id) {
    throw invalid(
      'not a runtools run export: expected {"format": "runtools.run/v1", "run": {...}} as written by "runtools runs export"',
    );
  }
  const { run, runtime, deployment } = bundle;
  if (store.runs.get(run.id)) throw conflict(`run ${run.id} already exists here; nothing was imported`);
  store.transaction(() => {
    const at = now().toISOString();
    const config = runtimeConfigOf(runtime);
    if (!store.runtimes.get(runtime.runtimeSlug))
      store.runtimes.insert(runtime.runtimeSlug, config, 'api', at);
    // Version numbers are local: the run points at the local version holding the exact config it ran with.
    const local =
      store.runtimes.versions(runtime.runtimeSlug).find((v) => configKey(v) === configKey(config)) ??
      store.runtimes.addVersion(
        runtime.runtimeSlug,
        config,
        `import of ${run.id} (v${run.runtimeVersion ?? '?'} there)`,
        at,
      );
    if (!store.deployments.get(deployment.apiSlug)) {
      const { apiSlug, ...settings } = deployment;
      store.deployments.insert(apiSlug, { ...settings, runtimeSlug: runtime.runtimeSlug }, 'api', at);
    }
    store.runs.insert({
      id: run.id,
      deployment: run.deployment,
      runtimeSlug: run.runtimeSlug,
      runtimeVersion: local.version,
      status: run.status,
      input: run.input,
      usage: run.usage,
      createdAt: run.createdAt,
    });
    store.runs.update(run.id, {
      statusReason: run.statusReason,
      output: run.output,
      error: run.error,
      devUrl: run.devUrl,
      files: run.files,
      turns: run.turns,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
    });
    store.runs.appendTranscript(
      run.id,
      { messages: run.messages ?? [], toolCalls: run.toolCalls ?? [] },
      { messages: 0, toolCalls: 0 },
    );
    store.events.appendMany(run.events.map((event) => ({ ...event, runId: run.id })));
  });
}

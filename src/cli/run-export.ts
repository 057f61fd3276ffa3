import type { RunExport, RunToolsApi } from '../api/contract.js';
import { isTerminal } from '../api/types.js';

/**
 * A run as one self-contained JSON document (see RunExport): the run and its events, the exact
 * runtime version it ran with, and its deployment's settings. Secret values never leave: the
 * deployment lists secret names only, and a custom endpoint's key is redacted by the API.
 */
export async function exportRun(api: RunToolsApi, id: string): Promise<RunExport> {
  const run = await api.runs.get(id);
  if (!isTerminal(run.status)) {
    throw new Error(
      `run ${id} is ${run.status}; export it once it has ended (runtools runs events ${id} --follow)`,
    );
  }
  if (run.runtimeVersion === null) {
    throw new Error(
      `run ${id} never got a runtime version (it ended before starting), so it cannot be reproduced`,
    );
  }
  const [runtime, deployment] = await Promise.all([
    api.runtimes.version(run.runtimeSlug, run.runtimeVersion),
    api.deployments.get(run.deployment),
  ]);
  const {
    apiEndpoint: _endpoint,
    createdAt: _created,
    updatedAt: _updated,
    source: _source,
    ...settings
  } = deployment;
  return {
    format: 'runtools.run/v1',
    exportedAt: new Date().toISOString(),
    run,
    runtime,
    deployment: settings,
  };
}

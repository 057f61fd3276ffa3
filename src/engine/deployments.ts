import { conflict, invalid, notFound } from '../api/errors.js';
import {
  type CreateDeploymentBody,
  createDeploymentSchema,
  parseInput,
  type UpdateDeploymentBody,
  updateDeploymentSchema,
} from '../api/schemas.js';
import type { AgentDeploymentData, Mount, ResourceLimits } from '../api/types.js';
import type { DeploymentConfig, DeploymentRow } from '../store/deployments.js';
import type { Store } from '../store/store.js';

export const DEFAULT_LIMITS: ResourceLimits = { memoryMb: 2048, cpus: 2, pids: 512 };

export interface DeploymentServiceDeps {
  store: Store;
  now: () => Date;
  /** The server's base URL, for `apiEndpoint`. */
  baseUrl: () => string;
  /** Known template slugs. */
  templateSlugs: () => string[];
  /** Secret names that cannot be resolved from the environment or `.env`. */
  missingSecrets: (names: string[]) => string[];
  defaultSandbox: () => 'docker' | 'local';
  /** Why a tool name is unknown to this server (built-ins and toolsets), or undefined. */
  toolProblem?: (name: string) => string | undefined;
}

function fieldError(field: string, message: string): never {
  throw invalid(`invalid deployment: ${field}: ${message}`, { fields: [{ field, message }] });
}

function checkMounts(mounts: Mount[]): void {
  const seen = new Set<string>();
  for (const mount of mounts) {
    const normal = mount.path.replace(/\/+$/, '') || '/';
    if (seen.has(normal)) fieldError('mounts', `two mounts use the path "${normal}"; give each its own path`);
    seen.add(normal);
  }
}

export type DeploymentService = ReturnType<typeof createDeploymentService>;

export function createDeploymentService(deps: DeploymentServiceDeps) {
  const { store } = deps;
  const iso = () => deps.now().toISOString();

  function row(apiSlug: string): DeploymentRow {
    const found = store.deployments.get(apiSlug);
    if (!found) {
      const known = store.deployments.list().map((d) => d.apiSlug);
      throw notFound(
        `deployment "${apiSlug}" not found; ${known.length ? `known deployments: ${known.join(', ')}` : 'create one with rt.deployments.create({runtimeSlug, templateSlug, apiSlug})'}`,
      );
    }
    return found;
  }

  function checkReferences(
    config: Pick<DeploymentConfig, 'runtimeSlug' | 'templateSlug' | 'secrets' | 'mounts' | 'approve'>,
  ): void {
    if (!store.runtimes.get(config.runtimeSlug)) {
      const known = store.runtimes.list().map((r) => r.slug);
      fieldError(
        'runtimeSlug',
        `no runtime "${config.runtimeSlug}"; ${known.length ? `known runtimes: ${known.join(', ')}` : 'create the runtime first'}`,
      );
    }
    const templates = deps.templateSlugs();
    if (!templates.includes(config.templateSlug)) {
      fieldError(
        'templateSlug',
        `no template "${config.templateSlug}"; known templates: ${templates.join(', ')}`,
      );
    }
    const missing = deps.missingSecrets(config.secrets);
    if (missing.length > 0) {
      fieldError(
        'secrets',
        `secret${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not set; export ${missing.length > 1 ? 'them' : 'it'} in the server's environment or add to the .env file beside runtools.config.ts`,
      );
    }
    checkMounts(config.mounts);
    for (const [index, name] of (config.approve ?? []).entries()) {
      const problem = deps.toolProblem?.(name);
      if (problem) fieldError(`approve.${index}`, problem);
    }
  }

  const toData = (deployment: DeploymentRow): AgentDeploymentData => ({
    apiSlug: deployment.apiSlug,
    ...deployment.config,
    // Rows stored before approvals existed have none.
    approve: deployment.config.approve ?? [],
    apiEndpoint: `${deps.baseUrl()}/v1/run/${deployment.apiSlug}`,
    source: deployment.source,
    createdAt: deployment.createdAt,
    updatedAt: deployment.updatedAt,
  });

  return {
    create(body: CreateDeploymentBody, source: DeploymentRow['source'] = 'api'): AgentDeploymentData {
      const input = parseInput(createDeploymentSchema, body, 'deployment');
      if (store.deployments.get(input.apiSlug)) {
        throw conflict(
          `deployment "${input.apiSlug}" already exists; update it with deployment.update() or choose another apiSlug`,
        );
      }
      const config: DeploymentConfig = {
        runtimeSlug: input.runtimeSlug,
        templateSlug: input.templateSlug,
        mounts: input.mounts,
        webhookUrl: input.webhookUrl ?? null,
        webhookEvents: input.webhookEvents,
        maxConcurrent: input.maxConcurrent,
        timeout: input.timeout,
        secrets: input.secrets,
        sandbox: input.sandbox ?? deps.defaultSandbox(),
        network: input.network,
        limits: { ...DEFAULT_LIMITS, ...input.limits },
        approve: input.approve,
      };
      checkReferences(config);
      store.deployments.insert(input.apiSlug, config, source, iso());
      return toData(row(input.apiSlug));
    },

    list(): AgentDeploymentData[] {
      return store.deployments.list().map(toData);
    },

    get(apiSlug: string): AgentDeploymentData {
      return toData(row(apiSlug));
    },

    /** The stored row, for starting runs. */
    row,

    update(
      apiSlug: string,
      body: UpdateDeploymentBody,
      source?: DeploymentRow['source'],
    ): AgentDeploymentData {
      const current = row(apiSlug);
      const patch = parseInput(updateDeploymentSchema, body, 'deployment update');
      const config: DeploymentConfig = {
        ...current.config,
        ...patch,
        limits: { ...current.config.limits, ...patch.limits },
      };
      checkReferences(config);
      store.deployments.update(apiSlug, config, source ?? current.source, iso());
      return toData(row(apiSlug));
    },

    delete(apiSlug: string): void {
      row(apiSlug);
      store.deployments.remove(apiSlug);
    },
  };
}

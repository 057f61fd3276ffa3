import type { AgentDeploymentData } from '../../api/types.js';
import { href } from '../router.js';
import { RunsTable } from '../runs/runs-table.js';
import { ErrorNote, Loading, Section } from '../ui/bits.js';
import { useClient, useLoad } from '../ui/hooks.js';
import { useRunModels } from '../ui/versions.js';
import { StartRunForm } from './start-run-form.js';

/** A deployment: its settings, what is queued and running on it, and a form to start a run. */
export function DeploymentDetail({ apiSlug }: { apiSlug: string }) {
  const client = useClient();
  const deployment = useLoad(() => client.deployments.get(apiSlug), [apiSlug]);
  const active = useLoad(
    async () => {
      const [queued, running, paused] = await Promise.all(
        (['queued', 'running', 'paused'] as const).map((status) =>
          client.runs.list({ deployment: apiSlug, status, limit: 100 }),
        ),
      );
      return [...running!.data, ...paused!.data, ...queued!.data];
    },
    [apiSlug],
    1_000,
  );
  const models = useRunModels(client, active.data);
  if (!deployment.data)
    return deployment.error ? <ErrorNote error={deployment.error} /> : <Loading what={apiSlug} />;
  const d = deployment.data;
  return (
    <div class="view">
      <header class="view-head">
        <div>
          <p class="crumbs">
            <a href={href('deployments')}>Deployments</a> / {apiSlug}
          </p>
          <h1>{apiSlug}</h1>
        </div>
        <a href={href('runs', { deployment: apiSlug })}>All runs of {apiSlug} →</a>
      </header>
      <Settings d={d} />
      <StartRunForm deployment={d} />
      <Section title={`Queue and running (${active.data?.length ?? 0})`}>
        <ErrorNote error={active.error} />
        {active.data?.length === 0 && <p class="muted">Nothing is queued or running.</p>}
        {active.data && (
          <RunsTable runs={active.data} models={models} selected={[]} onSelect={() => undefined} />
        )}
      </Section>
    </div>
  );
}

function Settings({ d }: { d: AgentDeploymentData }) {
  const facts: [string, string][] = [
    ['Runtime', d.runtimeSlug],
    ['Template', d.templateSlug],
    ['Sandbox', `${d.sandbox}, network ${d.network}`],
    ['Max concurrent', String(d.maxConcurrent)],
    ['Timeout', `${d.timeout} s`],
    ['Limits', `${d.limits.memoryMb} MB, ${d.limits.cpus} CPU, ${d.limits.pids} processes`],
    [
      'Mounts',
      d.mounts.map((m) => `${m.workspaceId} → ${m.path}${m.readOnly ? ' (read-only)' : ''}`).join(', ') ||
        '–',
    ],
    ['Secrets', d.secrets.join(', ') || '–'],
    ['Webhook', d.webhookUrl ? `${d.webhookUrl} (${d.webhookEvents.join(', ')})` : '–'],
    ['Endpoint', `POST ${d.apiEndpoint}`],
    ['From', d.source === 'config' ? 'runtools.config.ts' : 'the API'],
  ];
  return (
    <dl class="facts">
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

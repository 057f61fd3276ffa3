import { href } from '../router.js';
import { ErrorNote, Loading } from '../ui/bits.js';
import { useClient, useLoad } from '../ui/hooks.js';
import { DeploymentDetail } from './deployment-detail.js';

export function DeploymentsView({ apiSlug }: { apiSlug: string | undefined }) {
  const client = useClient();
  const deployments = useLoad(() => client.deployments.list(), [], 3_000);
  if (apiSlug) return <DeploymentDetail apiSlug={apiSlug} />;
  return (
    <div class="view">
      <header class="view-head">
        <h1>Deployments</h1>
      </header>
      <ErrorNote error={deployments.error} />
      {!deployments.data && <Loading what="deployments" />}
      <table class="runs">
        <thead>
          <tr>
            <th>Deployment</th>
            <th>Runtime</th>
            <th>Template</th>
            <th>Sandbox</th>
            <th class="num">Max concurrent</th>
            <th class="num">Timeout</th>
            <th>From</th>
          </tr>
        </thead>
        <tbody>
          {deployments.data?.map((d) => (
            <tr key={d.apiSlug}>
              <td>
                <a href={href('deployments', d.apiSlug)}>{d.apiSlug}</a>
              </td>
              <td>
                <a href={href('runtimes', d.runtimeSlug)}>{d.runtimeSlug}</a>
              </td>
              <td>{d.templateSlug}</td>
              <td>{d.sandbox}</td>
              <td class="num">{d.maxConcurrent}</td>
              <td class="num">{d.timeout} s</td>
              <td>{d.source === 'config' ? 'runtools.config.ts' : 'API'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

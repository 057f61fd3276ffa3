import { useMemo, useState } from 'preact/hooks';
import { takeKeyFromLocation } from './api/auth.js';
import { createClient } from './api/client.js';
import { CompareView } from './compare/compare-view.js';
import { DeploymentsView } from './deployments/deployments-view.js';
import { EvalsView } from './evals/evals-view.js';
import { IntegrationsView } from './integrations/integrations-view.js';
import { href, type Route, useRoute } from './router.js';
import { RunView } from './run/run-view.js';
import { RunsView } from './runs/runs-view.js';
import { RuntimesView } from './runtimes/runtimes-view.js';
import { ClientContext } from './ui/hooks.js';
import { KeyGate } from './ui/key-gate.js';

const NAV = [
  { path: 'runs', label: 'Runs' },
  { path: 'compare', label: 'Compare' },
  { path: 'runtimes', label: 'Runtimes' },
  { path: 'deployments', label: 'Deployments' },
  { path: 'integrations', label: 'Integrations' },
  { path: 'evals', label: 'Evals' },
] as const;

export function App() {
  const [key] = useState(takeKeyFromLocation);
  const client = useMemo(() => (key ? createClient(key) : undefined), [key]);
  const route = useRoute();
  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href={href('runs')}>
          runtools <span>studio</span>
        </a>
        <nav aria-label="Views">
          {NAV.map((item) => (
            <a
              key={item.path}
              href={href(item.path)}
              aria-current={
                route.path[0] === item.path || (item.path === 'runs' && route.path[0] === 'run')
                  ? 'page'
                  : undefined
              }
            >
              {item.label}
            </a>
          ))}
        </nav>
      </header>
      <main>
        <KeyGate client={client}>
          {client && (
            <ClientContext.Provider value={client}>
              <View route={route} />
            </ClientContext.Provider>
          )}
        </KeyGate>
      </main>
    </div>
  );
}

function View({ route }: { route: Route }) {
  const [view, id, other] = route.path;
  switch (view) {
    case 'runs':
      return id ? <RunView id={id} /> : <RunsView query={route.query} />;
    case 'compare':
      return <CompareView a={id ?? route.query.get('a') ?? ''} b={other ?? route.query.get('b') ?? ''} />;
    case 'runtimes':
      return <RuntimesView slug={id} query={route.query} />;
    case 'deployments':
      return <DeploymentsView apiSlug={id} />;
    case 'evals':
      return <EvalsView id={id} query={route.query} />;
    case 'integrations':
      return <IntegrationsView />;
    default:
      return (
        <p class="error-note" role="alert">
          There is no page “{route.path.join('/')}” here. <a href={href('runs')}>Go to the runs</a>.
        </p>
      );
  }
}

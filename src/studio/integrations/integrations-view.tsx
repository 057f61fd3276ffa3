import type { IntegrationData } from '../../api/types.js';
import { href } from '../router.js';
import { ErrorNote, Loading } from '../ui/bits.js';
import { when } from '../ui/format.js';
import { useClient, useLoad } from '../ui/hooks.js';

/** The integrations (stand-ins, or live when `dev --live` says so) and the gmail stand-in's outbox. */
export function IntegrationsView() {
  const client = useClient();
  const integrations = useLoad(() => client.integrations.list(), [], 5_000);
  return (
    <div class="view">
      <header class="view-head">
        <h1>Integrations</h1>
      </header>
      <ErrorNote error={integrations.error} />
      {!integrations.data && <Loading what="integrations" />}
      <ul class="plain">
        {integrations.data?.map((i) => (
          <IntegrationLine key={i.name} integration={i} />
        ))}
      </ul>
      <GmailOutbox />
    </div>
  );
}

function IntegrationLine({ integration }: { integration: IntegrationData }) {
  return (
    <li>
      <strong>{integration.name}</strong>{' '}
      <span class="integration-mode">{integration.mode === 'live' ? 'LIVE' : 'stand-in'}</span>{' '}
      <span class="muted">{integration.description}</span>
      <div class="muted">tools: {integration.tools.join(', ')}</div>
    </li>
  );
}

/** What the agent sent through the gmail stand-in: kept here, never sent. Newest first. */
function GmailOutbox() {
  const client = useClient();
  const outbox = useLoad(() => client.integrations.gmailOutbox(), [], 3_000);
  return (
    <section aria-label="Gmail outbox">
      <h2>Gmail outbox</h2>
      <p class="muted">Mail the agent sent through the stand-in. Nothing here left this machine.</p>
      <ErrorNote error={outbox.error} />
      {outbox.data?.length === 0 && <p class="muted">The outbox is empty.</p>}
      {outbox.data && outbox.data.length > 0 && (
        <table class="runs">
          <thead>
            <tr>
              <th>Subject</th>
              <th>To</th>
              <th>Body</th>
              <th>Run</th>
              <th>Sent</th>
            </tr>
          </thead>
          <tbody>
            {outbox.data.map((mail) => (
              <tr key={mail.id}>
                <td>{mail.subject}</td>
                <td>{[...mail.to, ...mail.cc.map((cc) => `cc ${cc}`)].join(', ')}</td>
                <td class="message">{mail.body}</td>
                <td>{mail.runId ? <a href={href('runs', mail.runId)}>{mail.runId}</a> : '-'}</td>
                <td>{when(mail.date)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { forgetKey } from '../api/auth.js';
import { ApiError, type Client } from '../api/client.js';

type Check = 'checking' | 'ok' | { problem: 'no-key' | 'wrong-key' | 'unreachable'; detail?: string };

/**
 * Shows the views only once the server accepts the key; otherwise says plainly what is wrong and
 * how to get in (the URL `runtools dev` printed carries the key).
 */
export function KeyGate({ client, children }: { client: Client | undefined; children: ComponentChildren }) {
  const [check, setCheck] = useState<Check>(client ? 'checking' : { problem: 'no-key' });
  useEffect(() => {
    if (!client) return;
    client.deployments.list().then(
      () => setCheck('ok'),
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) {
          forgetKey();
          setCheck({ problem: 'wrong-key' });
        } else setCheck({ problem: 'unreachable', detail: (error as Error).message });
      },
    );
  }, [client]);
  if (check === 'ok') return <>{children}</>;
  if (check === 'checking') return <p class="muted">Connecting…</p>;
  return (
    <div class="gate" role="alert">
      <h1>
        {check.problem === 'wrong-key'
          ? 'This key is not accepted by this server'
          : check.problem === 'no-key'
            ? 'No key: open the studio from the link runtools dev printed'
            : 'The server did not answer'}
      </h1>
      {check.problem === 'wrong-key' && (
        <p>
          The key in the link you opened does not match this server's API key (it may come from another data
          dir, or the key changed). Open the <code>studio:</code> URL that <code>runtools dev</code> printed
          when it started; it ends in <code>#key=…</code>.
        </p>
      )}
      {check.problem === 'no-key' && (
        <p>
          The studio needs the server's API key. <code>runtools dev</code> prints a <code>studio:</code> URL
          ending in <code>#key=…</code>; open that one. The key stays in this tab only.
        </p>
      )}
      {check.problem === 'unreachable' && (
        <p>
          {check.detail}. Is <code>runtools dev</code> still running?
        </p>
      )}
    </div>
  );
}

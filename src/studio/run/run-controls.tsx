import { useState } from 'preact/hooks';
import type { AgentRunStatus } from '../../api/types.js';
import { ErrorNote } from '../ui/bits.js';
import { useClient } from '../ui/hooks.js';

/**
 * Pause, resume (or run the tool the run is held before), deny that call with a reason, cancel, and
 * input for a run that goes.
 */
export function RunControls({
  id,
  status,
  reason,
}: {
  id: string;
  status: AgentRunStatus;
  reason: string | undefined;
}) {
  const client = useClient();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [denial, setDenial] = useState('');
  const act = (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    action()
      .catch((failure: unknown) => setError(failure as Error))
      .finally(() => setBusy(false));
  };
  // Held before a call: by pauseBeforeTools, or waiting for approval (an `approve` entry).
  const heldTool =
    status === 'paused'
      ? /(?:paused before|waiting for approval of) (\S+);/.exec(reason ?? '')?.[1]
      : undefined;
  return (
    <section class="controls" aria-label="Run controls">
      {status === 'paused' ? (
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={() => act(() => client.runs.resume(id))}
        >
          {heldTool ? `Run ${heldTool}` : 'Resume'}
        </button>
      ) : (
        <button type="button" disabled={busy} onClick={() => act(() => client.runs.pause(id))}>
          Pause
        </button>
      )}
      {heldTool && (
        <form
          class="deny"
          onSubmit={(e) => {
            e.preventDefault();
            act(async () => {
              await client.runs.deny(id, denial.trim());
              setDenial('');
            });
          }}
        >
          <input
            aria-label="Reason for denying"
            placeholder="Why not (the model reads it)"
            value={denial}
            onInput={(e) => setDenial(e.currentTarget.value)}
          />
          <button type="submit" disabled={busy}>
            Deny {heldTool}
          </button>
        </form>
      )}
      <button type="button" class="danger" disabled={busy} onClick={() => act(() => client.runs.cancel(id))}>
        Cancel
      </button>
      {status === 'paused' && reason && <span class="muted">{reason}</span>}
      <form
        class="send-input"
        onSubmit={(e) => {
          e.preventDefault();
          const text = message.trim();
          if (!text) return;
          act(async () => {
            await client.runs.input(id, text);
            setMessage('');
          });
        }}
      >
        <input
          aria-label="Message to the agent"
          placeholder="Tell the agent something mid-run"
          value={message}
          onInput={(e) => setMessage(e.currentTarget.value)}
        />
        <button type="submit" disabled={busy || !message.trim()}>
          Send input
        </button>
      </form>
      <ErrorNote error={error} />
    </section>
  );
}

import { StatusBadge, UnifiedDiff } from '../ui/bits.js';
import { cost, tokens } from '../ui/format.js';
import type { TimelineItem } from './timeline-items.js';

const time = (iso: string) => new Date(iso).toLocaleTimeString('en-GB');

/** One timeline row; what each kind of step shows, in a person's words. */
export function TimelineRow({ item }: { item: TimelineItem }) {
  return (
    <div class={`step step-${item.kind}`} data-seq={item.firstSeq} data-last-seq={item.lastSeq}>
      <span class="step-time">{time(item.at)}</span>
      <div class="step-body">
        <StepBody item={item} />
      </div>
    </div>
  );
}

function StepBody({ item }: { item: TimelineItem }) {
  switch (item.kind) {
    case 'text':
      return <p class="text">{item.content}</p>;
    case 'thinking':
      return (
        <details class="thinking">
          <summary>Thinking ({item.content.length} chars)</summary>
          <p>{item.content}</p>
        </details>
      );
    case 'tool':
      return (
        <div class="tool">
          <div class="tool-head">
            <span class="tool-name">{item.tool}</span>
            <ToolInput tool={item.tool} input={item.input} />
          </div>
          {item.result ? (
            <details
              class={item.result.isError ? 'tool-result failed' : 'tool-result'}
              open={item.result.isError || item.result.output.length < 400}
            >
              <summary>
                {item.result.isError ? 'failed' : 'result'} ({item.result.output.split('\n').length} lines)
              </summary>
              <pre>{item.result.output}</pre>
            </details>
          ) : item.held ? (
            <span class="muted">
              {item.held === 'approval' ? 'waiting for approval' : 'paused before it runs'}
            </span>
          ) : (
            <span class="muted">running…</span>
          )}
        </div>
      );
    case 'file_edit':
      return (
        <div class="file-edit">
          <div>
            <span class={`change change-${item.change}`}>{item.change}</span> <code>{item.path}</code>
          </div>
          <UnifiedDiff diff={item.diff} />
        </div>
      );
    case 'dev_url':
      return (
        <p>
          Dev server on port {item.port}:{' '}
          <a href={item.url} target="_blank" rel="noreferrer noopener">
            {item.url}
          </a>
        </p>
      );
    case 'integration':
      return (
        <p class="integration">
          <strong>
            {item.integration} {item.action}
          </strong>{' '}
          (stand-in, nothing left this machine): {item.summary}
        </p>
      );
    case 'input':
      return (
        <p class="input">
          <strong>You:</strong> {item.content}
        </p>
      );
    case 'build':
      return (
        <details class="build" open>
          <summary>
            Building template {item.template} ({item.steps.length} steps)
          </summary>
          <pre>{item.steps.join('\n')}</pre>
        </details>
      );
    case 'usage':
      return (
        <p class="usage">
          {item.from === item.to ? `Turn ${item.to}` : `Turns ${item.from}–${item.to}`}:{' '}
          {tokens(item.turnUsage.inputTokens)} in · {tokens(item.turnUsage.outputTokens)} out
          {(item.turnUsage.cacheReadTokens ?? 0) > 0 && (
            <> · {tokens(item.turnUsage.cacheReadTokens ?? 0)} cached</>
          )}{' '}
          · {cost(item.turnUsage.costUsd)} <span class="muted">(run so far {cost(item.total.costUsd)})</span>
        </p>
      );
    case 'status':
      return (
        <p class="status-line">
          <StatusBadge status={item.status} />
          {item.queuePosition !== undefined && <> position {item.queuePosition} in the queue</>}
          {item.reason && <span class="muted"> {item.reason}</span>}
        </p>
      );
    case 'error':
      return (
        <p class="error-step" role="note">
          Error: {item.message}
        </p>
      );
    case 'complete':
      return (
        <div class="complete">
          <strong>Output</strong>
          <p class="text">{item.output}</p>
        </div>
      );
  }
}

/** A tool's input: the command or path in front, the rest as JSON. */
function ToolInput({ tool, input }: { tool: string; input: unknown }) {
  if (input === undefined) return null;
  const record = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const main =
    tool === 'bash'
      ? record.command
      : tool === 'edit_file' || tool === 'read_file'
        ? record.path
        : (record.pattern ?? record.query);
  const rest = Object.fromEntries(
    Object.entries(record).filter(
      ([name]) => !['command', 'path', 'pattern', 'query', 'old_string', 'new_string'].includes(name),
    ),
  );
  return (
    <span class="tool-input">
      {typeof main === 'string' && <code>{main}</code>}
      {typeof main !== 'string' && <code>{JSON.stringify(input)}</code>}
      {typeof main === 'string' && Object.keys(rest).length > 0 && (
        <span class="muted"> {JSON.stringify(rest)}</span>
      )}
    </span>
  );
}

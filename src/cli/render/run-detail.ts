import type { Colors } from 'picocolors/types.js';
import type { AgentRunDetail } from '../../api/contract.js';
import type { Message } from '../../api/messages.js';
import { modelLabel } from '../../api/model-names.js';
import { indent, shorten } from './text.js';
import { describeToolInput } from './tool-input.js';

/** A stored run, readable: what it was asked, the conversation with its tool calls, and its files. */
export function runDetail(run: AgentRunDetail, c: Colors): string {
  const version = run.runtimeVersion === null ? '' : ` v${run.runtimeVersion}`;
  const lines = [
    `${c.bold(`run ${run.id}`)}  ${run.deployment} · runtime ${run.runtimeSlug}${version}`,
    c.dim(`created ${run.createdAt}${run.endedAt ? ` · ended ${run.endedAt}` : ''}`),
  ];
  if (run.input.model) lines.push(c.dim(`model for this run: ${modelLabel(run.input.model)}`));
  if (run.input.mounts.length > 0)
    lines.push(c.dim(`mounts: ${run.input.mounts.map((m) => `${m.workspaceId}:${m.path}`).join(', ')}`));
  lines.push('', c.bold('messages'));
  const results = new Map(run.toolCalls.map((call) => [call.callId, call]));
  for (const message of run.messages) lines.push(...messageLines(message, results, c));
  if (run.files.length > 0) {
    lines.push('', c.bold('files'));
    for (const file of run.files) lines.push(`  ${file.change.padEnd(8)} ${file.path}`);
  }
  return lines.join('\n');
}

function messageLines(
  message: Message,
  calls: Map<string, AgentRunDetail['toolCalls'][number]>,
  c: Colors,
): string[] {
  const lines: string[] = [];
  for (const part of message.content) {
    switch (part.type) {
      case 'text':
        lines.push(
          `${message.role === 'user' ? c.magenta('user') : c.cyan('assistant')}: ${indent(part.text, '  ').trimStart()}`,
        );
        break;
      case 'thinking':
        lines.push(c.dim(c.italic(`  ✻ ${part.text}`)));
        break;
      case 'tool_call': {
        const took = calls.get(part.callId);
        lines.push(
          `  ${c.cyan('⏺')} ${c.bold(part.name)} ${describeToolInput(part.name, part.input)}${took ? c.dim(` (${took.durationMs} ms)`) : ''}`,
        );
        break;
      }
      case 'tool_result': {
        const { lines: shown, hidden } = shorten(part.output, 4);
        const paint = part.isError ? c.red : c.dim;
        lines.push(...shown.map((line, i) => `${i === 0 ? '    ⎿ ' : '      '}${paint(line)}`));
        if (hidden > 0) lines.push(c.dim(`      … ${hidden} more lines`));
        break;
      }
    }
  }
  return lines;
}

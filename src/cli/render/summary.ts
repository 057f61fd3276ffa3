import type { Colors } from 'picocolors/types.js';
import type { AgentRunData } from '../../api/types.js';
import { cost, count, duration } from './text.js';

const MARK: Record<AgentRunData['status'], (c: Colors) => string> = {
  completed: (c) => c.green('✔ completed'),
  failed: (c) => c.red('✖ failed'),
  cancelled: (c) => c.yellow('■ cancelled'),
  timed_out: (c) => c.red('⏱ timed out'),
  interrupted: (c) => c.red('✖ interrupted'),
  queued: (c) => c.dim('… queued'),
  running: (c) => c.cyan('▶ running'),
  paused: (c) => c.yellow('⏸ paused'),
};

/** The closing lines of a run: status, turns, tokens, cost, time, files changed. */
export function runSummary(run: AgentRunData, c: Colors): string {
  const { usage } = run;
  const facts = [
    `${run.turns} turn${run.turns === 1 ? '' : 's'}`,
    `${count(usage.inputTokens)} in / ${count(usage.outputTokens)} out tokens`,
    cost(usage.costUsd),
    duration(run.durationMs),
    `${run.files.length} file${run.files.length === 1 ? '' : 's'} changed`,
  ];
  const lines = [c.dim('─'.repeat(60)), `${MARK[run.status](c)} ${c.dim('·')} ${facts.join(c.dim(' · '))}`];
  if (run.error) lines.push(`  ${c.red(run.error)}`);
  for (const file of run.files) {
    const mark =
      file.change === 'created' ? c.green('+') : file.change === 'deleted' ? c.red('-') : c.yellow('~');
    lines.push(`  ${mark} ${file.path}`);
  }
  if (run.devUrl) lines.push(`  dev server: ${c.bold(c.underline(c.green(run.devUrl)))}`);
  lines.push(c.dim(`  run ${run.id} · runtools runs show ${run.id}`));
  return lines.join('\n');
}

/** The process exit code for a run's final status. */
export function exitCodeFor(status: AgentRunData['status']): number {
  if (status === 'completed') return 0;
  if (status === 'cancelled') return 130;
  return 1;
}

import { Command } from 'commander';
import pc from 'picocolors';
import type { GmailOutboxEntry } from '../api/types.js';
import { connect, type GlobalOptions } from './context.js';

/** One sent message, as a person scans an outbox: when, to whom, what, and which run sent it. */
function outboxLine(entry: GmailOutboxEntry): string {
  const to = [...entry.to, ...entry.cc.map((c) => `cc ${c}`)].join(', ');
  return `${pc.dim(entry.date)}  ${pc.bold(entry.subject || '(no subject)')}  → ${to}${entry.runId ? pc.dim(`  (run ${entry.runId})`) : ''}`;
}

/** `runtools integrations` (the stand-ins) and `runtools integrations <name> [view]` (their state). */
export function integrationsCommand(global: () => GlobalOptions): Command {
  return new Command('integrations')
    .description('integration stand-ins and what their tools did (e.g. "integrations gmail outbox")')
    .argument('[name]', 'a stand-in, like gmail')
    .argument('[view]', 'what to show, like outbox (default: its first view)')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, view: string | undefined, options: { json?: boolean }) => {
      const { rt } = await connect(global());
      try {
        const all = await rt.integrations.list();
        if (!name) {
          if (options.json) return void process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
          for (const i of all) {
            console.log(`${pc.bold(i.name)} ${pc.dim(`(${i.mode})`)} ${i.description}`);
            console.log(`  tools: ${i.tools.join(', ')}`);
            console.log(`  views: ${i.views.map((v) => `runtools integrations ${i.name} ${v}`).join(', ')}`);
          }
          return;
        }
        const chosen = view ?? all.find((i) => i.name === name)?.views[0] ?? 'outbox';
        const data = await rt.integrations.view(name, chosen);
        if (options.json) return void process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
        if (data.length === 0) return void console.log(pc.dim(`${name} ${chosen} is empty`));
        for (const item of data) {
          console.log(
            name === 'gmail' && chosen === 'outbox'
              ? outboxLine(item as GmailOutboxEntry)
              : JSON.stringify(item),
          );
        }
      } finally {
        await rt.close();
      }
    });
}

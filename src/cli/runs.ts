import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import pc from 'picocolors';
import type { RunExport } from '../api/contract.js';
import { RUN_STATUSES } from '../api/types.js';
import { connect, type GlobalOptions } from './context.js';
import { parsePositiveInt } from './options.js';
import { EventPrinter } from './render/events.js';
import { runDetail } from './render/run-detail.js';
import { exitCodeFor, runSummary } from './render/summary.js';
import { cost, duration } from './render/text.js';
import { exportRun } from './run-export.js';
import { resolveRunId } from './run-ids.js';

export function runsCommand(global: () => GlobalOptions): Command {
  const command = new Command('runs').description('list, inspect, export and import runs');

  command
    .command('list')
    .description('list runs, newest first')
    .option('--deployment <apiSlug>', 'only runs of this deployment')
    .option('--status <status>', `only runs with this status (${RUN_STATUSES.join(', ')})`)
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'print the runs as JSON')
    .action(async (options: { deployment?: string; status?: string; limit: string; json?: boolean }) => {
      const { rt } = await connect(global());
      try {
        const page = await rt.api.runs.list({
          deployment: options.deployment,
          status: options.status as (typeof RUN_STATUSES)[number] | undefined,
          limit: parsePositiveInt(options.limit, '--limit'),
        });
        if (options.json) {
          process.stdout.write(`${JSON.stringify(page.data, null, 2)}\n`);
          return;
        }
        if (page.data.length === 0) {
          console.log(pc.dim('no runs yet; start one with: runtools run <apiSlug> "<message>"'));
          return;
        }
        const rows = page.data.map((run) => {
          const version = run.runtimeVersion === null ? '' : `@v${run.runtimeVersion}`;
          return [
            run.id,
            run.status,
            `${run.deployment} (${run.runtimeSlug}${version})`,
            String(run.turns),
            String(run.usage.inputTokens + run.usage.outputTokens),
            cost(run.usage.costUsd),
            duration(run.durationMs),
            run.createdAt,
          ];
        });
        const header = [
          'RUN',
          'STATUS',
          'DEPLOYMENT (RUNTIME)',
          'TURNS',
          'TOKENS',
          'COST',
          'TIME',
          'CREATED',
        ];
        const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
        const line = (cells: string[], paint: (cell: string, i: number) => string) =>
          cells
            .map((cell, i) => paint(cell, i) + ' '.repeat(widths[i]! - cell.length))
            .join('  ')
            .trimEnd();
        console.log(line(header, (cell) => pc.dim(cell)));
        for (const row of rows)
          console.log(line(row, (cell, i) => (i === 1 ? paintStatus(cell) : i === 7 ? pc.dim(cell) : cell)));
        if (page.nextCursor) console.log(pc.dim(`more: --limit ${page.data.length * 2}`));
      } finally {
        await rt.close();
      }
    });

  command
    .command('show <id>')
    .description(
      'a run in full: input, messages, tool calls, files and usage (id: full, a unique prefix, or "last")',
    )
    .option('--json', 'print the run as JSON')
    .action(async (given: string, options: { json?: boolean }) => {
      const { rt } = await connect(global());
      try {
        const run = await rt.runs.get(await resolveRunId(rt.api, given));
        if (options.json) process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
        else process.stdout.write(`${runDetail(run, pc)}\n\n${runSummary(run, pc)}\n`);
      } finally {
        await rt.close();
      }
    });

  command
    .command('events <id>')
    .description('the events of a run; --follow keeps printing live ones until it ends')
    .option('--follow', 'wait for new events until the run ends')
    .option('--after <seq>', 'only events after this sequence number', '0')
    .option('--json', 'print one JSON event a line')
    .action(async (given: string, options: { follow?: boolean; after: string; json?: boolean }) => {
      const { rt } = await connect(global());
      try {
        const id = await resolveRunId(rt.api, given);
        const printer = new EventPrinter({ write: (text) => process.stdout.write(text), colors: pc });
        const after = Number(options.after) || 0;
        for await (const event of rt.api.runs.events(id, { after, follow: options.follow === true })) {
          if (options.json) process.stdout.write(`${JSON.stringify(event)}\n`);
          else printer.print(event);
        }
        printer.finishLine();
        if (!options.json && options.follow) {
          const run = await rt.runs.get(id);
          process.stdout.write(`\n${runSummary(run, pc)}\n`);
          process.exitCode = exitCodeFor(run.status);
        }
      } finally {
        await rt.close();
      }
    });

  command
    .command('export <id>')
    .description('write a run as one JSON file to reproduce it elsewhere (no secret values)')
    .option('-o, --output <file>', 'where to write it (default: stdout)')
    .action(async (given: string, options: { output?: string }) => {
      const { rt } = await connect(global());
      try {
        const id = await resolveRunId(rt.api, given);
        const text = `${JSON.stringify(await exportRun(rt.api, id), null, 2)}\n`;
        if (!options.output) {
          process.stdout.write(text);
          return;
        }
        writeFileSync(options.output, text);
        process.stderr.write(`exported run ${id} to ${options.output}\n`);
      } finally {
        await rt.close();
      }
    });

  command
    .command('import <file>')
    .description('load a run written by "runtools runs export" (then replay it with "runtools replay <id>")')
    .action(async (file: string) => {
      let bundle: RunExport;
      try {
        bundle = JSON.parse(readFileSync(file, 'utf8')) as RunExport;
      } catch (error) {
        throw new Error(`cannot read ${file} as JSON: ${(error as Error).message}`);
      }
      const { rt } = await connect(global());
      try {
        const run = await rt.api.runs.import(bundle);
        console.log(
          `imported run ${pc.bold(run.id)} (${run.deployment}, ${run.status}); replay it with: runtools replay ${run.id}`,
        );
      } finally {
        await rt.close();
      }
    });

  return command;
}

function paintStatus(status: string): string {
  if (status === 'completed') return pc.green(status);
  if (status === 'failed' || status === 'timed_out' || status === 'interrupted') return pc.red(status);
  if (status === 'cancelled' || status === 'paused') return pc.yellow(status);
  return pc.cyan(status);
}

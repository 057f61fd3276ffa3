import { Command } from 'commander';
import pc from 'picocolors';
import { connect, type GlobalOptions } from './context.js';
import { evalJson, evalLine, evalReport } from './eval-render.js';

export function evalsCommand(global: () => GlobalOptions): Command {
  const command = new Command('evals').description('list stored evals and show their reports');

  command
    .command('list')
    .description('list evals, newest first')
    .option('--json', 'print the evals as JSON')
    .action(async (options: { json?: boolean }) => {
      const { rt } = await connect(global());
      try {
        const evals = await rt.evals.list();
        if (options.json) {
          process.stdout.write(`${JSON.stringify(evals, null, 2)}\n`);
          return;
        }
        if (evals.length === 0) {
          console.log(pc.dim('no evals yet; run one with: runtools eval <suite file>'));
          return;
        }
        for (const data of evals) console.log(evalLine(data, pc));
      } finally {
        await rt.close();
      }
    });

  command
    .command('show')
    .description("an eval's report: pass rates per variant, cases, failed checks")
    .argument('<id>', 'the eval id (see "runtools evals list")')
    .option('--json', 'print {variants, results} as JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const { rt } = await connect(global());
      try {
        const detail = await rt.evals.get(id);
        if (options.json) process.stdout.write(`${JSON.stringify(evalJson(detail), null, 2)}\n`);
        else process.stdout.write(`${evalReport(detail, pc)}\n`);
      } finally {
        await rt.close();
      }
    });

  return command;
}

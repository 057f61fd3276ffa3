import { Command } from 'commander';
import pc from 'picocolors';
import type { EvalData, EvalDetail, StartEvalBody } from '../api/evals.js';
import { loadSuite } from '../evals/load-suite.js';
import { connect, type GlobalOptions } from './context.js';
import { evalJson, evalReport, progressLine } from './eval-render.js';
import { variantsFromFlags } from './eval-variants.js';
import { collect, parsePositiveInt } from './options.js';

interface EvalOptions {
  versions?: string;
  model: string[];
  promptFile: string[];
  repeat?: string;
  concurrency?: string;
  json?: boolean;
  failUnder?: string;
  record?: boolean;
  replay?: string;
}

export function evalCommand(global: () => GlobalOptions): Command {
  return new Command('eval')
    .description(
      'run a suite of tasks over runtime versions, models or a draft prompt, check the results, compare',
    )
    .argument('<suite>', 'a suite file: .json, or .ts exporting defineEval({...})')
    .option('--versions <list>', 'runtime versions to compare, like 3,4 (default: the current config)')
    .option(
      '--model <model>',
      'a model to compare (repeatable): a name, scripted:<file> or replay:<runId>',
      collect,
      [],
    )
    .option(
      '--prompt-file <file>',
      'a draft system prompt to compare with the current one (repeatable); nothing is saved',
      collect,
      [],
    )
    .option('--repeat <n>', "trials of each case on each variant (default: the suite's repeat, else 1)")
    .option(
      '--concurrency <n>',
      "most trials in flight at once (default: all queued; the deployment's maxConcurrent holds)",
    )
    .option('--json', 'print {variants, results} as JSON')
    .option('--fail-under <rate>', 'exit 1 when a variant passes less than this share of trials, like 0.8')
    .option('--record', 'mark this eval as a recording, so --replay can play its model turns again')
    .option('--replay <evalId>', "rerun a recorded eval: the same model turns, today's checks and workspaces")
    .action(async (file: string, options: EvalOptions) => {
      const code = await runEval(global(), file, options);
      await exitOnceWritten(code);
    });
}

/**
 * Exits once the report is written. The eval is over and the engine closed, but a Docker request
 * racing a container's removal (an exec created as the container goes) can stay unanswered by
 * dockerd for minutes, and its socket would keep the process alive with nothing left to do.
 */
async function exitOnceWritten(code: number): Promise<never> {
  await Promise.all(
    [process.stdout, process.stderr].map(
      (stream) => new Promise<void>((resolve) => stream.write('', () => resolve())),
    ),
  );
  process.exit(code);
}

function parseRate(text: string): number {
  const value = Number(text.replace(/%$/, '')) / (text.endsWith('%') ? 100 : 1);
  if (!Number.isFinite(value) || value < 0 || value > 1)
    throw new Error(`--fail-under "${text}" is not a pass rate from 0 to 1 (or 0% to 100%), like 0.8`);
  return value;
}

async function runEval(global: GlobalOptions, file: string, options: EvalOptions): Promise<number> {
  const failUnder = options.failUnder === undefined ? undefined : parseRate(options.failUnder);
  const { file: suiteFile, suite } = await loadSuite(file);
  const body: StartEvalBody = {
    suite,
    suiteFile,
    ...(options.replay ? { replay: options.replay } : { variants: variantsFromFlags(options) }),
    ...(options.repeat ? { repeat: parsePositiveInt(options.repeat, '--repeat') } : {}),
    ...(options.concurrency ? { concurrency: parsePositiveInt(options.concurrency, '--concurrency') } : {}),
    ...(options.record ? { record: true } : {}),
  };
  const { rt } = await connect(global);
  try {
    const started = await rt.evals.start(body);
    const progress = new ProgressPrinter(options.json === true);
    progress.print(started);
    let cancelling: Promise<unknown> | undefined;
    const onSigint = () => {
      if (cancelling) {
        process.stderr.write(pc.red('\ninterrupted again: quitting without waiting for the runs to stop\n'));
        process.exit(130);
      }
      progress.note(
        pc.yellow(
          'cancelling the eval: its runs in flight stop, what finished is kept… (Ctrl-C again to quit at once)',
        ),
      );
      cancelling = rt.evals.cancel(started.id).catch((error: unknown) => {
        progress.note(`could not cancel: ${error instanceof Error ? error.message : String(error)}`);
      });
    };
    process.on('SIGINT', onSigint);
    let detail: EvalDetail;
    try {
      while (true) {
        detail = await rt.evals.get(started.id);
        progress.print(detail);
        if (detail.status !== 'running') break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } finally {
      process.off('SIGINT', onSigint);
      progress.end();
    }
    await cancelling;
    if (options.json) process.stdout.write(`${JSON.stringify(evalJson(detail), null, 2)}\n`);
    else process.stdout.write(`\n${evalReport(detail, pc)}\n`);
    return exitCode(detail, failUnder);
  } finally {
    await rt.close();
  }
}

function exitCode(detail: EvalDetail, failUnder: number | undefined): number {
  if (detail.status === 'cancelled') return 130;
  if (detail.status === 'failed') {
    process.stderr.write(`${pc.red('error:')} the eval failed: ${detail.error}\n`);
    return 1;
  }
  if (failUnder === undefined) return 0;
  const below = detail.report.variants.filter((v) => v.passRate < failUnder);
  if (below.length === 0) return 0;
  process.stderr.write(
    `${pc.red('✖')} pass rate under ${Math.round(failUnder * 100)}%: ${below.map((v) => `${v.label} ${Math.round(v.passRate * 100)}%`).join(', ')}\n`,
  );
  return 1;
}

/** Progress on stderr: one rewritten line on a terminal, a line per finished trial otherwise. */
class ProgressPrinter {
  private last = '';
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly quiet: boolean) {}

  print(data: EvalData): void {
    const line = progressLine(data, pc);
    if (line === this.last) return;
    const doneChanged = !this.last.includes(` ${data.progress.done}/${data.progress.total} `);
    this.last = line;
    if (this.tty) process.stderr.write(`\r\u001b[2K${line}`);
    else if (doneChanged || !this.quiet) process.stderr.write(`${line}\n`);
  }

  note(text: string): void {
    process.stderr.write(`${this.tty ? '\r\u001b[2K' : ''}${text}\n`);
    this.last = '';
  }

  end(): void {
    if (this.tty && this.last) process.stderr.write('\n');
  }
}

import pc from 'picocolors';
import type { AgentRunDetail } from '../api/contract.js';
import { RunToolsError } from '../api/errors.js';
import { type AgentRunEvent, isTerminal } from '../api/types.js';
import type { RunTools } from '../sdk/client.js';
import type { AgentRunHandle } from '../sdk/resources.js';
import { EventPrinter } from './render/events.js';
import { Spinner } from './render/spinner.js';
import { EnterKey } from './stepper.js';

export interface FollowOptions {
  /** One JSON event a line on stdout instead of the rendered view. */
  json: boolean;
  /** Pause at each tool call and wait for Enter before going on. */
  pauseOnTool: boolean;
}

const out = (text: string) => process.stdout.write(text);
const note = (text: string) => process.stderr.write(`${text}\n`);

/**
 * Streams a run to the terminal while it goes and steers it: Ctrl-C cancels it (a second Ctrl-C
 * quits at once), --pause-on-tool steps through tool calls. Resolves with the run once it ended.
 */
export async function followRun(
  rt: RunTools,
  handle: AgentRunHandle,
  options: FollowOptions,
): Promise<AgentRunDetail> {
  const colors = pc;
  const spinner =
    !options.json && process.stderr.isTTY ? new Spinner(process.stderr, (s) => colors.dim(s)) : undefined;
  const printer = new EventPrinter({ write: out, colors, spinner });
  const interrupted = new AbortController();
  let cancelling: Promise<unknown> | undefined;
  const onSigint = () => {
    if (cancelling) {
      note(colors.red('interrupted again: quitting without waiting for the run to stop'));
      process.exit(130);
    }
    interrupted.abort();
    printer.finishLine();
    note(colors.yellow('cancelling the run… (Ctrl-C again to quit at once)'));
    cancelling = handle.cancel().catch((error: unknown) => {
      note(`could not cancel: ${error instanceof Error ? error.message : String(error)}`);
    });
  };
  process.on('SIGINT', onSigint);
  let enter = options.pauseOnTool ? new EnterKey() : undefined;
  const stepping = { pauseAfter: undefined as string | undefined, continueAll: false };
  let last: AgentRunEvent | undefined;
  try {
    for await (const event of handle) {
      if (event.type === 'status') last = event;
      if (options.json) out(`${JSON.stringify(event)}\n`);
      else printer.print(event);
      // A call held for approval asks the person at the terminal, with or without --pause-on-tool.
      if (!enter && !options.json && event.type === 'status' && event.awaiting?.approval)
        enter = new EnterKey();
      if (enter) await step(handle, event, stepping, enter, interrupted.signal, printer);
      if (event.type === 'status' && isTerminal(event.status)) break;
    }
  } finally {
    process.off('SIGINT', onSigint);
    spinner?.stop();
    enter?.close();
  }
  await cancelling;
  return rt.runs.get(handle.id).catch((error: unknown) => {
    // The server told us how the run ended, then went away (it was stopped): say that, not ECONNREFUSED.
    if (error instanceof RunToolsError && error.type === 'unavailable' && last?.type === 'status')
      throw new Error(
        `the runtools server went away: run ${handle.id} ended ${last.status}${last.reason ? ` (${last.reason})` : ''}`,
      );
    throw error;
  });
}

/**
 * --pause-on-tool (the run was started with pauseBeforeTools) or a call that needs approval: the
 * engine holds the run before the call; the person sees it and presses Enter to run it, types "n"
 * and a reason to deny it (the model reads the reason), or, when only stepping, "c" to let this and
 * every later call run without asking.
 */
async function step(
  handle: AgentRunHandle,
  event: AgentRunEvent,
  state: { pauseAfter: string | undefined; continueAll: boolean },
  enter: EnterKey,
  signal: AbortSignal,
  printer: EventPrinter,
): Promise<void> {
  if (event.type === 'tool_call') {
    state.pauseAfter = event.tool;
    return;
  }
  if (event.type !== 'status' || event.status !== 'paused' || signal.aborted) return;
  const tool = event.awaiting?.tool ?? state.pauseAfter;
  if (!tool) return;
  state.pauseAfter = undefined;
  const approval = event.awaiting?.approval === true;
  if (state.continueAll && !approval) {
    await handle.resume().catch(() => undefined);
    return;
  }
  printer.finishLine();
  note(
    pc.yellow(
      approval
        ? `⏸ ${tool} waits for your approval: press Enter to run it, type n and a reason to deny it, Ctrl-C to cancel`
        : `⏸ paused before ${tool}: Enter runs it · c + Enter continues without pausing · n + a reason denies it · Ctrl-C cancels`,
    ),
  );
  const line = (await enter.wait(signal)).trim();
  if (signal.aborted) return;
  const deny = /^(?:n|no|deny)\b\s*(.*)$/i.exec(line);
  if (deny) {
    await handle.deny(deny[1] || 'denied at the terminal').catch(() => undefined);
    return;
  }
  if (!approval && line.toLowerCase() === 'c') {
    state.continueAll = true;
    note(pc.dim('continuing without pausing'));
  }
  await handle.resume().catch(() => undefined);
}

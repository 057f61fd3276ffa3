import type { RunToolsApi } from '../api/contract.js';
import { RunToolsError } from '../api/errors.js';

const PAGE = 500;
/** Enough history to find any run a person still remembers a prefix of. */
const MAX_PAGES = 20;

/**
 * A run as people name it on the command line: its full id, `last` (the newest run), or a unique
 * prefix (with or without `run-`). Every failure says what to type instead.
 */
export async function resolveRunId(api: RunToolsApi, text: string): Promise<string> {
  if (text === 'last') {
    const newest = (await api.runs.list({ limit: 1 })).data[0];
    if (!newest)
      throw cliError(
        'there are no runs yet, so "last" names none; start one with: runtools run <apiSlug> "<message>"',
      );
    return newest.id;
  }
  const exact = await api.runs.get(text).then(
    (run) => run.id,
    (error: unknown) => {
      if (error instanceof RunToolsError && error.type === 'not_found') return undefined;
      throw error;
    },
  );
  if (exact) return exact;
  const prefix = text.startsWith('run-') ? text : `run-${text}`;
  const matches: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await api.runs.list({ limit: PAGE, cursor });
    matches.push(
      ...result.data.map((r) => r.id).filter((id) => id.startsWith(prefix) || id.startsWith(text)),
    );
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1)
    throw cliError(
      `"${text}" matches ${matches.length} runs (${matches.slice(0, 3).join(', ')}${matches.length > 3 ? ', ...' : ''}); type more of the id`,
    );
  throw cliError(
    `no run "${text}"; see the run ids with "runtools runs list" (or use "last" for the newest)`,
  );
}

const cliError = (message: string) => new RunToolsError('not_found', message);

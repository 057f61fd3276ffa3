import path from 'node:path';
import { modelConfigProblem } from '../api/model-names.js';
import type { ModelConfig, Mount } from '../api/types.js';

/** Commander's way to let an option repeat. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * `--model`: a model name (`claude-sonnet-4-5`), `scripted:<file>` (resolved here, so it means the
 * file beside you even when the server runs elsewhere) or `replay:<runId>`.
 */
export function parseModel(text: string): ModelConfig {
  if (text.startsWith('scripted:')) {
    const file = text.slice('scripted:'.length);
    if (!file) throw new Error('--model scripted:<file> needs a file, like scripted:./script.json');
    return { provider: 'scripted', script: path.resolve(file) };
  }
  if (text.startsWith('replay:')) {
    const run = text.slice('replay:'.length);
    if (!run) throw new Error('--model replay:<runId> needs a run id (see "runtools runs list")');
    return { provider: 'replay', run };
  }
  const problem = modelConfigProblem(text);
  if (problem) throw new Error(`--model: ${problem}; or use scripted:<file> or replay:<runId>`);
  return text;
}

/** `--mount workspaceId:/path` (`:ro` at the end mounts it read-only). */
export function parseMount(text: string): Mount {
  const match = /^([^:]+):(\/[^:]*)(:ro)?$/.exec(text);
  if (!match) {
    throw new Error(`--mount "${text}" is not workspaceId:/path; for example --mount shared-libs:/libs`);
  }
  return { workspaceId: match[1]!, path: match[2]!, ...(match[3] ? { readOnly: true } : {}) };
}

export function parsePositiveInt(text: string, what: string): number {
  const value = Number(text.replace(/^v/, ''));
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${what} "${text}" is not a whole number from 1`);
  return value;
}

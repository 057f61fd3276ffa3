import { writeFile } from 'node:fs/promises';
import { conflict } from '../api/errors.js';

/** Where a runtime's prompt comes from in the loaded runtools.config.ts. */
export type PromptSource =
  | { kind: 'file'; file: string; display: string }
  | { kind: 'inline' }
  | { kind: 'not-in-config' };

/**
 * Writes a prompt back to the file the config names for a runtime; `runtools dev` hands one to the
 * server. The config watcher sees the write and makes the version, so the file stays the one source
 * of truth. Nothing but a file the loaded config names as that runtime's prompt is ever written.
 */
export interface PromptFileWriter {
  write(slug: string, systemPrompt: string): Promise<{ file: string }>;
}

/** A writer over `sourceOf`, which answers from the config as it is loaded now. */
export function createPromptFileWriter(sourceOf: (slug: string) => PromptSource): PromptFileWriter {
  return {
    async write(slug, systemPrompt) {
      const source = sourceOf(slug);
      if (source.kind === 'not-in-config')
        throw conflict(
          `runtime "${slug}" is not defined in runtools.config.ts, so it has no prompt file; save the prompt as a new version instead`,
          { reason: 'not_in_config' },
        );
      if (source.kind === 'inline')
        throw conflict(
          `runtime "${slug}" has its prompt inline in runtools.config.ts; edit it there, or move it to a file ({ file: './prompts/${slug}.md' }) to save it from the studio`,
          { reason: 'inline_prompt' },
        );
      await writeFile(source.file, systemPrompt);
      return { file: source.display };
    },
  };
}

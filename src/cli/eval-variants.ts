import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { EvalVariantInput } from '../api/evals.js';
import { parseModel, parsePositiveInt } from './options.js';

export interface VariantFlags {
  versions?: string;
  model: string[];
  promptFile: string[];
}

/**
 * The variants the flags ask for: every version × every model × (the runtime's prompt, then each
 * draft prompt file). A flag not given leaves that part as the deployment's current one; no flags
 * at all is one variant, the current config.
 */
export function variantsFromFlags(flags: VariantFlags): EvalVariantInput[] {
  const versions: (number | undefined)[] = flags.versions
    ? flags.versions
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '')
        .map((v) => parsePositiveInt(v, '--versions'))
    : [undefined];
  const models = flags.model.length > 0 ? flags.model.map(parseModel) : [undefined];
  const prompts: ({ systemPrompt: string; promptFile: string } | undefined)[] = [
    undefined,
    ...flags.promptFile.map((file) => {
      const absolute = path.resolve(file);
      let systemPrompt: string;
      try {
        systemPrompt = readFileSync(absolute, 'utf8');
      } catch (error) {
        throw new Error(
          `--prompt-file ${file}: could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check the path`,
        );
      }
      if (systemPrompt.trim() === '')
        throw new Error(`--prompt-file ${file} is empty; write the draft prompt in it`);
      return { systemPrompt, promptFile: absolute };
    }),
  ];
  return versions.flatMap((runtimeVersion) =>
    models.flatMap((model) =>
      prompts.map((prompt) => ({
        ...(runtimeVersion ? { runtimeVersion } : {}),
        ...(model ? { model } : {}),
        ...(prompt ?? {}),
      })),
    ),
  );
}

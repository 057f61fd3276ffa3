import path from 'node:path';
import type { EvalVariant, EvalVariantInput } from '../api/evals.js';
import { modelLabel } from '../api/model-names.js';

/**
 * Variants with their labels: the label given, else one said from what the variant overrides
 * (`v3`, `gpt-5.2`, `draft.md`, joined with " · "), else `current`. Labels are made unique.
 */
export function labelVariants(inputs: readonly EvalVariantInput[]): EvalVariant[] {
  const seen = new Map<string, number>();
  return inputs.map((input) => {
    const parts = [
      input.runtimeVersion ? `v${input.runtimeVersion}` : undefined,
      input.model ? modelLabel(input.model) : undefined,
      input.systemPrompt ? (input.promptFile ? path.basename(input.promptFile) : 'draft prompt') : undefined,
    ].filter((part): part is string => part !== undefined);
    let label = input.label ?? (parts.length > 0 ? parts.join(' · ') : 'current');
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    if (count > 1) label = `${label} #${count}`;
    return {
      label,
      ...(input.runtimeVersion ? { runtimeVersion: input.runtimeVersion } : {}),
      ...(input.model ? { model: input.model } : {}),
      ...(input.systemPrompt ? { systemPrompt: input.systemPrompt } : {}),
      ...(input.promptFile ? { promptFile: input.promptFile } : {}),
    };
  });
}

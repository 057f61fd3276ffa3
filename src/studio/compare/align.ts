import type { ToolCallRecord } from '../../api/types.js';

/** A pair of tool calls matched across two runs (either side missing when one run did not make it). */
export interface AlignedStep {
  left?: ToolCallRecord;
  right?: ToolCallRecord;
  inputDiffers: boolean;
  resultDiffers: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Lines two runs' tool calls up by the longest common sequence of tool names, so an extra or a
 * missing call shows as a gap instead of shifting every later row out of place.
 */
export function alignToolCalls(left: ToolCallRecord[], right: ToolCallRecord[]): AlignedStep[] {
  const n = left.length;
  const m = right.length;
  // lengths[i][j]: the longest common run of tool names of left[i..] and right[j..].
  const lengths = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lengths[i]![j] =
        left[i]!.tool === right[j]!.tool
          ? lengths[i + 1]![j + 1]! + 1
          : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
  const steps: AlignedStep[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const l = left[i];
    const r = right[j];
    if (l && r && l.tool === r.tool) {
      steps.push({
        left: l,
        right: r,
        inputDiffers: !same(l.input, r.input),
        resultDiffers: l.output !== r.output || l.isError !== r.isError,
      });
      i++;
      j++;
    } else if (l && (!r || lengths[i + 1]![j]! >= lengths[i]![j + 1]!)) {
      steps.push({ left: l, inputDiffers: true, resultDiffers: true });
      i++;
    } else {
      steps.push({ right: r!, inputDiffers: true, resultDiffers: true });
      j++;
    }
  }
  return steps;
}

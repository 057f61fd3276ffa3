import { TOOLSET_SEPARATOR } from './types.js';

/** True for a toolset tool's name (`gmail__send_email`), false for a built-in. */
export const isToolsetTool = (name: string): boolean => name.includes(TOOLSET_SEPARATOR);

/**
 * Whether a call of `tool` waits for a person: `approve` names it, or names its toolset
 * (`gmail` holds every gmail tool).
 */
export function needsApproval(tool: string, approve: readonly string[]): boolean {
  return approve.some((entry) => entry === tool || tool.startsWith(`${entry}${TOOLSET_SEPARATOR}`));
}

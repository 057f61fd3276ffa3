import { invalid } from '../api/errors.js';
import type { Toolset } from './types.js';

/**
 * A live provider's toolset under the names the model knows (the stand-in's): `renamed` maps each
 * such name to the provider's own. A name it maps to a tool the provider does not offer fails the
 * run's start, naming the tools it does offer; tools it does not mention keep their own names.
 */
export function renamedToolset(toolset: Toolset, renamed: Record<string, string>): Toolset {
  const seenAs = new Map(Object.entries(renamed).map(([seen, own]) => [own, seen]));
  return {
    ...toolset,
    async tools(ctx) {
      const tools = await toolset.tools(ctx);
      const missing = Object.entries(renamed).filter(([, own]) => !tools.some((t) => t.name === own));
      if (missing.length > 0) {
        throw invalid(
          `tools.${toolset.name}.live.tools maps ${missing.map(([seen, own]) => `${seen} to "${own}"`).join(', ')}, which the live provider does not offer; its tools are ${tools.map((t) => t.name).join(', ')}`,
        );
      }
      return tools.map((tool) => {
        const name = seenAs.get(tool.name);
        return name ? { ...tool, name } : tool;
      });
    },
  };
}

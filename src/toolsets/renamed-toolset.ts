import { invalid } from '../api/errors.js';
import type { LiveToolMapping } from './config.js';
import type { StandIn } from './stand-in.js';
import type { Toolset, ToolsetTool } from './types.js';
import { zodTool } from './zod-tool.js';

/** The provider's own name in a mapping. */
export const ownName = (mapping: LiveToolMapping): string =>
  typeof mapping === 'string' ? mapping : mapping.name;

/**
 * A live provider's toolset under the names the model knows (the stand-in's): `renamed` maps each
 * such name to the provider's own. A name it maps to a tool the provider does not offer fails the
 * run's start, naming the tools it does offer; tools it does not mention keep their own names.
 *
 * A mapping with `input` keeps the stand-in's whole tool for the model (description and input
 * schema), so scripts, replays and evals written against the stand-in send what they always sent:
 * that input is checked by the stand-in's schema, turned into the provider's by `input`, and the
 * provider's tool runs it.
 */
export function renamedToolset(
  toolset: Toolset,
  renamed: Record<string, LiveToolMapping>,
  standIn?: StandIn,
): Toolset {
  const mappings = Object.entries(renamed).map(([seen, mapping]) => ({
    seen,
    own: ownName(mapping),
    input: typeof mapping === 'string' ? undefined : mapping.input,
  }));
  return {
    ...toolset,
    async tools(ctx) {
      const tools = await toolset.tools(ctx);
      const missing = mappings.filter(({ own }) => !tools.some((t) => t.name === own));
      if (missing.length > 0) {
        throw invalid(
          `tools.${toolset.name}.live.tools maps ${missing.map(({ seen, own }) => `${seen} to "${own}"`).join(', ')}, which the live provider does not offer; its tools are ${tools.map((t) => t.name).join(', ')}`,
        );
      }
      return tools.map((tool) => {
        const mapping = mappings.find(({ own }) => own === tool.name);
        if (!mapping) return tool;
        if (!mapping.input) return { ...tool, name: mapping.seen };
        return mappedInput(toolset.name, tool, mapping.seen, mapping.input, standIn);
      });
    },
  };
}

/** The live tool behind the stand-in's face: the stand-in's spec and checks, the provider's call. */
function mappedInput(
  toolsetName: string,
  live: ToolsetTool,
  seen: string,
  input: (input: Record<string, unknown>) => Record<string, unknown>,
  standIn: StandIn | undefined,
): ToolsetTool {
  const field = `tools.${toolsetName}.live.tools.${seen}.input`;
  const map = (given: unknown): Record<string, unknown> => {
    try {
      return input((given ?? {}) as Record<string, unknown>);
    } catch (error) {
      throw new Error(`${field} threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const face = standIn?.tools.find((t) => t.name === seen);
  if (!face) {
    // No stand-in tool of that name to show: the provider's own spec, its input mapped on the way.
    return {
      ...live,
      name: seen,
      async execute(given, ctx) {
        let mapped: Record<string, unknown>;
        try {
          mapped = map(given);
        } catch (error) {
          return { output: (error as Error).message, isError: true };
        }
        return live.execute(mapped, ctx);
      },
    };
  }
  return zodTool({
    name: seen,
    description: face.description,
    inputSchema: face.inputSchema,
    async execute(given, ctx) {
      const result = await live.execute(map(given), ctx);
      // zodTool reports a throw as "<tool> failed: ...", as it does for the stand-in's own tools.
      if (result.isError) throw new Error(result.output);
      return result.output;
    },
  });
}

import type { FunctionTool } from './config.js';
import type { Toolset, ToolsetTool } from './types.js';
import { zodTool } from './zod-tool.js';

/** TypeScript functions from the config as a toolset; a config reload replaces the whole toolset. */
export function functionsToolset(name: string, functions: FunctionTool[]): Toolset {
  const tools: ToolsetTool[] = functions.map((fn) =>
    zodTool({
      name: fn.name,
      description: fn.description,
      inputSchema: fn.inputSchema,
      execute: (input, ctx) => fn.execute(input as Record<string, unknown>, ctx),
    }),
  );
  return { name, kind: 'functions', tools: async () => tools };
}

import { z } from 'zod';
import type { BuiltinToolName } from '../src/api/types.js';
import type { ModelToolSpec } from '../src/models/types.js';
import { SandboxError } from '../src/sandbox/errors.js';
import { bashTool } from './bash.js';
import { editFileTool } from './edit-file.js';
import { globTool } from './glob.js';
import { grepTool } from './grep.js';
import { isAbortError } from './lib/errors.js';
import { readFileTool } from './read-file.js';
import type { Tool, ToolContext, ToolResult } from './types.js';
import { webSearchTool } from './web-search.js';

/** The six built-in tools by name. */
export const builtinTools: Record<BuiltinToolName, Tool> = {
  bash: bashTool as unknown as Tool,
  read_file: readFileTool as unknown as Tool,
  edit_file: editFileTool as unknown as Tool,
  grep: grepTool as unknown as Tool,
  glob: globTool as unknown as Tool,
  web_search: webSearchTool as unknown as Tool,
};

const isBuiltin = (name: string): name is BuiltinToolName => Object.hasOwn(builtinTools, name);

/** What the model is told about the named tools: name, description, JSON Schema of the input. */
export function toolSpecs(names: readonly string[]): ModelToolSpec[] {
  return names.filter(isBuiltin).map((name) => {
    const tool = builtinTools[name];
    const { $schema: _, ...schema } = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as Record<
      string,
      unknown
    >;
    return { name, description: tool.description, inputSchema: schema };
  });
}

/** The input fields a tool takes, from its JSON Schema. */
function fieldsOf(tool: Tool): string[] {
  const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as { properties?: object };
  return Object.keys(schema.properties ?? {});
}

/** Names each bad field; an unknown field comes with the fields that exist, so a retry can fix it. */
function describeIssues(tool: Tool, error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        const where = issue.path.length ? ` in ${issue.path.join('.')}` : '';
        const names = issue.keys.map((k) => `"${k}"`).join(', ');
        return `unknown field${issue.keys.length === 1 ? '' : 's'} ${names}${where} (${tool.name} takes: ${fieldsOf(tool).join(', ')})`;
      }
      return `${issue.path.length ? issue.path.join('.') : 'input'}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * Validates the model's input and runs the tool. Bad input and tool failures come back as error
 * results the model can react to; a SandboxError (the sandbox itself failed) and an AbortError
 * (the run was cancelled) are rethrown for the engine to fail or cancel the run.
 */
export async function executeTool(name: string, rawInput: unknown, ctx: ToolContext): Promise<ToolResult> {
  if (!isBuiltin(name)) {
    return {
      output: `unknown tool "${name}"; the tools are: ${Object.keys(builtinTools).join(', ')}`,
      isError: true,
    };
  }
  const tool = builtinTools[name];
  const parsed = tool.inputSchema.safeParse(rawInput);
  if (!parsed.success) {
    return { output: `invalid input for ${name}: ${describeIssues(tool, parsed.error)}`, isError: true };
  }
  try {
    return await tool.execute(parsed.data, ctx);
  } catch (error) {
    if (error instanceof SandboxError || isAbortError(error)) throw error;
    if (ctx.signal.aborted)
      throw Object.assign(new Error('the tool call was cancelled'), { name: 'AbortError' });
    // A file-system error's message can hold a host path (the local sandbox): give its code only.
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const reason = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
    return { output: `${name} failed: ${reason}`, isError: true };
  }
}

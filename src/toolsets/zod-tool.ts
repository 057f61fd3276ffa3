import { z } from 'zod';
import { abortError, isAbortError } from '../../tools/lib/errors.js';
import type { ToolResult } from '../../tools/types.js';
import type { ToolsetCallContext, ToolsetTool } from './types.js';

/** A tool written in TypeScript with a zod input schema (a stand-in's, or one from the config). */
export interface ZodToolDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  inputSchema: S;
  /** Returns text (or any JSON value, sent as JSON) for the model; a throw becomes an error result. */
  execute(input: z.output<S>, ctx: ToolsetCallContext): unknown;
}

/** JSON Schema of a zod schema as the model is shown it (the input side, no `$schema`). */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return json;
}

const describeIssues = (error: z.ZodError): string =>
  error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ');

/** Turns whatever a TypeScript tool returned into the text the model reads. */
export function toOutput(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '(no output)';
  return JSON.stringify(value, null, 2);
}

/**
 * A ToolsetTool from a zod-typed definition: the model's input is validated first (bad input is an
 * error result naming the field), a throw is an error result, a cancel is rethrown.
 */
export function zodTool<S extends z.ZodType>(definition: ZodToolDefinition<S>): ToolsetTool {
  return {
    name: definition.name,
    description: definition.description,
    inputSchema: jsonSchemaOf(definition.inputSchema),
    async execute(rawInput, ctx): Promise<ToolResult> {
      const parsed = definition.inputSchema.safeParse(rawInput ?? {});
      if (!parsed.success) {
        return {
          output: `invalid input for ${definition.name}: ${describeIssues(parsed.error)}`,
          isError: true,
        };
      }
      try {
        return { output: toOutput(await definition.execute(parsed.data, ctx)) };
      } catch (error) {
        if (isAbortError(error) || ctx.signal.aborted) throw isAbortError(error) ? error : abortError();
        return {
          output: `${definition.name} failed: ${error instanceof Error ? error.message : String(error)}`,
          isError: true,
        };
      }
    },
  };
}

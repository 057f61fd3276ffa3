import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { STAND_INS } from './stand-ins.js';
import type { ToolsetCallContext } from './types.js';

/** An environment value or header written in the config, or one taken from the deployment's secrets. */
export type SecretOr = string | { secret: string };

/** An MCP server started as a child process speaking stdio. */
export interface McpStdioServer {
  command: string;
  args?: string[];
  /** `{ secret: 'LINEAR_API_KEY' }` takes the value from the run's deployment secrets. */
  env?: Record<string, SecretOr>;
  /** Working directory, relative to the config file. */
  cwd?: string;
}

/** An MCP server reached over streamable HTTP. */
export interface McpHttpServer {
  url: string;
  headers?: Record<string, SecretOr>;
}

/** A tool written in TypeScript in the config: zod input, and what it does. */
export interface FunctionTool {
  name: string;
  description: string;
  /** A zod schema, like `z.object({ customerId: z.string() })`. */
  inputSchema: z.ZodType;
  /** Returns text, or any JSON value; a throw is an error the model reads. */
  execute(input: Record<string, unknown>, ctx: ToolsetCallContext): unknown;
}

/** One entry of the config's `tools`: an MCP server, TypeScript functions, or a stand-in's settings. */
export type ToolsetConfig =
  | { mcp: McpStdioServer | McpHttpServer /** Per call, default 60000. */; timeoutMs?: number }
  | { functions: FunctionTool[] }
  | { /** A stand-in's mailbox/fixtures file (JSON), relative to the config. */ fixtures: string };

/** A toolset as the engine uses it, with files read and paths resolved. */
export type ToolsetDefinition =
  | { kind: 'mcp'; server: McpStdioServer | McpHttpServer; timeoutMs: number }
  | { kind: 'functions'; functions: FunctionTool[] }
  | { kind: 'stand-in'; fixtures: unknown };

export type ToolsetDefinitions = Record<string, ToolsetDefinition>;

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'secret names are environment variable names');
const secretOr = z.union([z.string(), z.strictObject({ secret: envName })], {
  error: 'a value is text, or {secret: "NAME"} to take it from the deployment\'s secrets',
});

const mcpSchema = z.union(
  [
    z.strictObject({
      command: z.string().min(1),
      args: z.array(z.string()).optional(),
      env: z.record(z.string(), secretOr).optional(),
      cwd: z.string().min(1).optional(),
    }),
    z.strictObject({
      url: z.url({ protocol: /^https?$/, error: 'mcp.url must be an http:// or https:// URL' }),
      headers: z.record(z.string(), secretOr).optional(),
    }),
  ],
  { error: 'mcp is {command, args?, env?} for a stdio server or {url, headers?} for streamable HTTP' },
);

const isZodSchema = (value: unknown): value is z.ZodType =>
  typeof value === 'object' && value !== null && '_zod' in value && 'safeParse' in value;

const functionSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a tool name is 1-64 letters, digits, _ or -'),
  description: z.string().min(1, 'say what the tool does: the model reads it'),
  inputSchema: z.custom<z.ZodType>(isZodSchema, {
    error: 'inputSchema is a zod schema, like z.object({...})',
  }),
  execute: z.custom<FunctionTool['execute']>((v) => typeof v === 'function', {
    error: 'execute is a function (input, ctx) => result',
  }),
});

const entrySchema = z.union(
  [
    z.strictObject({ mcp: mcpSchema, timeoutMs: z.number().int().positive().optional() }),
    z.strictObject({ functions: z.array(functionSchema).min(1, 'list at least one function') }),
    z.strictObject({ fixtures: z.string().min(1) }),
  ],
  {
    error:
      'a toolset is {mcp: {command, args} | {url}}, {functions: [{name, description, inputSchema, execute}]}, or {fixtures: "./file.json"} for a stand-in',
  },
);

const TOOLSET_NAME = /^[a-z][a-z0-9-]*(?:_[a-z0-9-]+)*$/;

/** The config's `tools` field, as validated. */
export const toolsetsConfigSchema = z.record(
  z.string().regex(TOOLSET_NAME, 'toolset names are lowercase, like "linear" or "billing" (no "__")'),
  entrySchema,
);

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Resolves the config's `tools` (already validated): reads stand-in fixtures files, resolves paths
 * against the config's folder. Problems name the field and the fix; `files` are watched for reload.
 */
export function resolveToolsets(
  tools: z.output<typeof toolsetsConfigSchema>,
  dir: string,
): { definitions: ToolsetDefinitions; files: string[]; problems: { field: string; message: string }[] } {
  const definitions: ToolsetDefinitions = {};
  const files: string[] = [];
  const problems: { field: string; message: string }[] = [];
  for (const [name, entry] of Object.entries(tools)) {
    const field = `tools.${name}`;
    const standIn = STAND_INS.find((s) => s.name === name);
    if ('fixtures' in entry) {
      if (!standIn) {
        problems.push({
          field: `${field}.fixtures`,
          message: `"${name}" is not a stand-in (they are ${STAND_INS.map((s) => s.name).join(', ')}); fixtures only apply to those`,
        });
        continue;
      }
      const file = path.resolve(dir, entry.fixtures);
      files.push(file);
      try {
        const parsed = standIn.fixturesSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
        if (!parsed.success) {
          problems.push({
            field: `${field}.fixtures`,
            message: `${entry.fixtures}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`,
          });
          continue;
        }
        definitions[name] = { kind: 'stand-in', fixtures: parsed.data };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        problems.push({
          field: `${field}.fixtures`,
          message:
            code === 'ENOENT'
              ? `"${entry.fixtures}" does not exist (looked for ${file}); create it or fix the path, which is relative to the config file`
              : `"${entry.fixtures}" is not readable JSON (${(error as Error).message})`,
        });
      }
      continue;
    }
    if (standIn) {
      problems.push({
        field,
        message: `"${name}" is the built-in stand-in; give your own toolset another name, or set {fixtures} for the stand-in`,
      });
      continue;
    }
    if ('mcp' in entry) {
      const server =
        'command' in entry.mcp && entry.mcp.cwd
          ? { ...entry.mcp, cwd: path.resolve(dir, entry.mcp.cwd) }
          : entry.mcp;
      definitions[name] = { kind: 'mcp', server, timeoutMs: entry.timeoutMs ?? DEFAULT_TIMEOUT_MS };
    } else {
      const names = entry.functions.map((f) => f.name);
      const twice = names.find((n, i) => names.indexOf(n) !== i);
      if (twice) {
        problems.push({ field: `${field}.functions`, message: `"${twice}" is listed twice; rename one` });
        continue;
      }
      definitions[name] = { kind: 'functions', functions: entry.functions };
    }
  }
  return { definitions, files, problems };
}

/**
 * Why a runtime's `tools` entry names nothing the config or the built-in stand-ins provide, or
 * undefined. (Tools of an MCP server are only known once it runs, so `linear__x` is not checked here.)
 */
export function unknownToolProblem(
  name: string,
  builtins: readonly string[],
  toolsets: readonly string[],
): string | undefined {
  if (builtins.includes(name)) return undefined;
  const toolset = name.includes('__') ? name.slice(0, name.indexOf('__')) : name;
  const known = [
    ...STAND_INS.map((s) => s.name),
    ...toolsets.filter((t) => !STAND_INS.some((s) => s.name === t)),
  ];
  if (known.includes(toolset)) {
    const standIn = STAND_INS.find((s) => s.name === toolset);
    const tool = name.slice(toolset.length + 2);
    if (standIn && name !== toolset && !standIn.tools.some((t) => t.name === tool)) {
      return `stand-in "${toolset}" has no tool "${tool}"; its tools are ${standIn.tools.map((t) => `${toolset}__${t.name}`).join(', ')}`;
    }
    return undefined;
  }
  return `unknown tool "${name}"; valid tools are ${builtins.join(', ')}, and the toolsets ${known.join(', ')}; add a toolset under tools: (an MCP server or TypeScript functions)`;
}

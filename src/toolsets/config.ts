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
  /** Working directory: relative to the config file on the host; a sandbox path with runIn 'sandbox'. */
  cwd?: string;
  /**
   * `host` (default): a child process of runtools, shared across runs. `sandbox`: started inside each
   * run's sandbox (its container), so it sees the run's files and nothing else; one per run.
   */
  runIn?: 'host' | 'sandbox';
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

/** A toolset's provider in the config: an MCP server, or TypeScript functions. */
export type ProviderConfig =
  | { mcp: McpStdioServer | McpHttpServer /** Per call, default 60000. */; timeoutMs?: number }
  | { functions: FunctionTool[] };

/**
 * What a live provider calls a tool the model knows by the stand-in's name: its own name, or its
 * name and how the stand-in's input becomes its own (config `live.tools`).
 */
export type LiveToolMapping =
  | string
  | { name: string; input?: (input: Record<string, unknown>) => Record<string, unknown> };

/** What every toolset entry may add: a live provider, and recording of its calls. */
export interface ToolsetExtras {
  /**
   * The real provider of this integration (for `gmail`, a Gmail MCP server). Used only when
   * `runtools dev --live <name>` is given or `enabled: true` is set here; otherwise the stand-in
   * (or the entry's own mcp/functions) serves. The model sees the same `<name>__<tool>` names.
   */
  live?: ProviderConfig & {
    /** Use the live provider without --live. */
    enabled?: boolean;
    /**
     * The live provider's own names for tools the model knows by other names (the stand-in's):
     * `{ send_email: 'gmail_send_message' }` keeps `gmail__send_email` for the model, so scripts,
     * replays and evals written against the stand-in work unchanged. Tools not named keep theirs.
     * When the provider's input differs too, give it as a function:
     * `{ send_email: { name: 'gmail_send_message', input: (i) => ({ recipients: [i.to], ... }) } }`;
     * the model then sees the stand-in's tool (description and input schema) and sends its input.
     */
    tools?: Record<string, LiveToolMapping>;
  };
  /**
   * Appends every call of this toolset (run, call id, tool, input, output, time) as a JSON line to
   * this file (relative to the config), or with `true` to `<data dir>/recordings/<name>.jsonl`.
   * Secrets are redacted.
   */
  record?: string | true;
}

/** One entry of the config's `tools`: an MCP server, TypeScript functions, or a stand-in's settings. */
export type ToolsetConfig = (
  | ProviderConfig
  | { /** A stand-in's mailbox/fixtures file (JSON), relative to the config. */ fixtures?: string }
) &
  ToolsetExtras;

/** A provider as the engine uses it, with paths resolved. */
export type ToolsetProvider =
  | { kind: 'mcp'; server: McpStdioServer | McpHttpServer; timeoutMs: number }
  | { kind: 'functions'; functions: FunctionTool[] };

/** A toolset as the engine uses it, with files read and paths resolved. */
export type ToolsetDefinition = (ToolsetProvider | { kind: 'stand-in'; fixtures: unknown }) & {
  /** The real provider, and whether the config turns it on by itself (`enabled: true`). */
  live?: { provider: ToolsetProvider; enabled: boolean; tools?: Record<string, LiveToolMapping> };
  /** Where its calls are appended: an absolute path, or `true` for the data dir's default. */
  record?: string | true;
};

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
      runIn: z.enum(['host', 'sandbox'], { error: 'runIn is "host" or "sandbox"' }).optional(),
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

const PROVIDER_SHAPE =
  'mcp: {command, args, env} or {url, headers} for an MCP server, or functions: [defineTool({...})]';

const providerFields = {
  mcp: mcpSchema.optional(),
  timeoutMs: z.number().int().positive().optional(),
  functions: z.array(functionSchema).min(1, 'list at least one function').optional(),
};

/** One object with every field optional, so a mistake is reported at its own field. */
const liveSchema = z
  .strictObject({
    ...providerFields,
    enabled: z.boolean().optional(),
    tools: z
      .record(
        z.string().min(1),
        z.union([
          z.string().min(1),
          z.strictObject({
            name: z.string().min(1),
            input: z
              .custom<NonNullable<Exclude<LiveToolMapping, string>['input']>>((v) => typeof v === 'function')
              .optional(),
          }),
        ]),
        {
          error:
            'live.tools maps the names the model sees to the live provider\'s own, like { send_email: "gmail_send_message" }, or { send_email: { name: "gmail_send_message", input: (i) => ({...}) } } when its input differs too',
        },
      )
      .optional(),
  })
  .refine((live) => (live.mcp === undefined) !== (live.functions === undefined), {
    error: `live is the real provider: ${PROVIDER_SHAPE} (exactly one), plus enabled: true to use it without --live`,
  });

const entrySchema = z.strictObject(
  {
    ...providerFields,
    fixtures: z.string().min(1).optional(),
    live: liveSchema.optional(),
    record: z
      .union([z.literal(true), z.string().min(1)], {
        error: 'record is a file path like "recordings/gmail.jsonl" (relative to the config), or true',
      })
      .optional(),
  },
  {
    error:
      'a toolset is {mcp: {command, args} | {url}}, {functions: [{name, description, inputSchema, execute}]}, or {fixtures: "./file.json"} for a stand-in; any of them may add live: {...} and record: "file.jsonl"',
  },
);

const TOOLSET_NAME = /^[a-z][a-z0-9-]*(?:_[a-z0-9-]+)*$/;

/** The config's `tools` field, as validated. */
export const toolsetsConfigSchema = z.record(
  z.string().regex(TOOLSET_NAME, 'toolset names are lowercase, like "linear" or "billing" (no "__")'),
  entrySchema,
);

const DEFAULT_TIMEOUT_MS = 60_000;

type Entry = z.output<typeof toolsetsConfigSchema>[string];
type Problems = { field: string; message: string }[];

/** A provider (`{mcp}` or `{functions}`, never both), with paths resolved; undefined after a problem. */
function providerDefinition(
  name: string,
  entry: { mcp?: McpStdioServer | McpHttpServer; timeoutMs?: number; functions?: FunctionTool[] },
  dir: string,
  field: string,
  problems: Problems,
): ToolsetProvider | undefined {
  if (entry.mcp && entry.functions) {
    problems.push({
      field,
      message: `has both mcp and functions; a toolset has one provider, so split it in two`,
    });
    return undefined;
  }
  if (entry.mcp) {
    const mcp = entry.mcp;
    // A cwd in the sandbox is the sandbox's path, not the config's folder.
    const server =
      'command' in mcp && mcp.cwd && mcp.runIn !== 'sandbox'
        ? { ...mcp, cwd: path.resolve(dir, mcp.cwd) }
        : mcp;
    return { kind: 'mcp', server, timeoutMs: entry.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  }
  if (entry.timeoutMs !== undefined) {
    problems.push({ field: `${field}.timeoutMs`, message: 'timeoutMs applies to an MCP server; remove it' });
    return undefined;
  }
  const functions = entry.functions ?? [];
  const names = functions.map((f) => f.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) {
    problems.push({
      field: `${field}.functions`,
      message: `"${twice}" is listed twice in ${name}; rename one`,
    });
    return undefined;
  }
  return { kind: 'functions', functions };
}

/** The entry without its live provider: a stand-in (fixtures read) or its own mcp/functions. */
function baseDefinition(
  name: string,
  entry: Entry,
  dir: string,
  files: string[],
  problems: Problems,
): ToolsetDefinition | undefined {
  const field = `tools.${name}`;
  const standIn = STAND_INS.find((s) => s.name === name);
  if (entry.mcp || entry.functions) {
    if (entry.fixtures !== undefined) {
      problems.push({
        field: `${field}.fixtures`,
        message: 'fixtures apply to a stand-in, not to an mcp or functions toolset; remove it',
      });
      return undefined;
    }
    if (standIn) {
      problems.push({
        field,
        message: `"${name}" is the built-in stand-in; give your own toolset another name, or put your provider under live: {...} to use it instead of the stand-in with --live ${name}`,
      });
      return undefined;
    }
    return providerDefinition(name, entry, dir, field, problems);
  }
  if (!standIn) {
    const what = entry.fixtures !== undefined ? 'fixtures only apply to those' : 'say what serves it';
    problems.push({
      field: entry.fixtures !== undefined ? `${field}.fixtures` : field,
      message: `"${name}" is not a stand-in (they are ${STAND_INS.map((s) => s.name).join(', ')}); ${what}: give it mcp: {...} or functions: [...]`,
    });
    return undefined;
  }
  if (entry.fixtures === undefined) return { kind: 'stand-in', fixtures: undefined };
  const file = path.resolve(dir, entry.fixtures);
  files.push(file);
  try {
    const parsed = standIn.fixturesSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) {
      problems.push({
        field: `${field}.fixtures`,
        message: `${entry.fixtures}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`,
      });
      return undefined;
    }
    return { kind: 'stand-in', fixtures: parsed.data };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push({
      field: `${field}.fixtures`,
      message:
        code === 'ENOENT'
          ? `"${entry.fixtures}" does not exist (looked for ${file}); create it or fix the path, which is relative to the config file`
          : `"${entry.fixtures}" is not readable JSON (${(error as Error).message})`,
    });
    return undefined;
  }
}

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
    const base = baseDefinition(name, entry, dir, files, problems);
    if (!base) continue;
    const definition: ToolsetDefinition = { ...base };
    if (entry.live) {
      const { enabled, tools: renamed, ...provider } = entry.live;
      const resolved = providerDefinition(`${name}.live`, provider, dir, `${field}.live`, problems);
      if (!resolved) continue;
      definition.live = {
        provider: resolved,
        enabled: enabled === true,
        ...(renamed ? { tools: renamed } : {}),
      };
    }
    if (entry.record !== undefined)
      definition.record = entry.record === true ? true : path.resolve(dir, entry.record);
    definitions[name] = definition;
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
  /** Toolsets with a live provider: its tools may be named otherwise than the stand-in's. */
  withLive: readonly string[] = [],
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
    if (
      standIn &&
      name !== toolset &&
      !withLive.includes(toolset) &&
      !standIn.tools.some((t) => t.name === tool)
    ) {
      return `stand-in "${toolset}" has no tool "${tool}"; its tools are ${standIn.tools.map((t) => `${toolset}__${t.name}`).join(', ')}`;
    }
    return undefined;
  }
  return `unknown tool "${name}"; valid tools are ${builtins.join(', ')}, and the toolsets ${known.join(', ')}; add a toolset under tools: (an MCP server or TypeScript functions)`;
}

import { displayPath } from '../config/errors.js';
import type {
  LiveToolMapping,
  McpHttpServer,
  McpStdioServer,
  ToolsetDefinition,
  ToolsetDefinitions,
  ToolsetProvider,
} from './config.js';
import { STAND_INS } from './stand-ins.js';

/** What serves a toolset now: its live provider (on purpose), or its own (a stand-in, mcp, functions). */
export type ActiveProvider = (ToolsetProvider | { kind: 'stand-in' }) & {
  live: boolean;
  /** A live provider's own tool names (and inputs), by the names the model sees (config `live.tools`). */
  renamed?: Record<string, LiveToolMapping>;
};

/** True when the live provider serves `name`: `--live name` was given or the config says `enabled: true`. */
export function isLive(
  name: string,
  definition: ToolsetDefinition | undefined,
  flagged: ReadonlySet<string>,
): boolean {
  return definition?.live !== undefined && (definition.live.enabled || flagged.has(name));
}

/** The provider that serves `name` (a built-in stand-in the config does not mention serves itself). */
export function activeProvider(
  name: string,
  definition: ToolsetDefinition | undefined,
  flagged: ReadonlySet<string>,
): ActiveProvider {
  if (definition && isLive(name, definition, flagged)) {
    const { provider, tools } = definition.live!;
    return { ...provider, live: true, ...(tools ? { renamed: tools } : {}) };
  }
  if (!definition || definition.kind === 'stand-in') return { kind: 'stand-in', live: false };
  const { live: _, record: __, ...own } = definition;
  return { ...own, live: false };
}

/**
 * Why `--live` names cannot be honoured by this config, each with its config field and the fix;
 * empty when they can. `configFile` is named in the messages.
 */
export function liveFlagProblems(
  flagged: readonly string[],
  definitions: ToolsetDefinitions | undefined,
  configFile: string | undefined,
): { field: string; message: string }[] {
  return flagged.flatMap((name) => {
    const message = liveFlagProblem(name, definitions, configFile);
    return message ? [{ field: `tools.${name}.live`, message }] : [];
  });
}

function liveFlagProblem(
  name: string,
  definitions: ToolsetDefinitions | undefined,
  configFile: string | undefined,
): string | undefined {
  if (definitions?.[name]?.live) return undefined;
  const example = `tools: { ${name}: { live: { mcp: { command: '...', args: [...] } } } }`;
  if (!configFile)
    return `--live ${name}: there is no runtools.config.ts here to say what "${name}" is when live; add one with ${example}`;
  const where = displayPath(configFile);
  if (STAND_INS.some((s) => s.name === name))
    return `--live ${name}: ${where} gives "${name}" no live provider, so only the stand-in exists; add ${example}, or drop --live ${name}`;
  if (definitions?.[name])
    return `--live ${name}: tools.${name} in ${where} has no live: {...} provider (its own provider always serves); add live: { mcp: {...} }, or drop --live ${name}`;
  return `--live ${name}: ${where} has no toolset "${name}"; add ${example}, or drop --live ${name}`;
}

function serverLabel(server: McpStdioServer | McpHttpServer): string {
  return 'command' in server ? [server.command, ...(server.args ?? [])].join(' ') : server.url;
}

/** One integration as `runtools dev` prints it: `gmail (stand-in)`, `gmail (LIVE: mcp npx ...)`. */
export function describeToolset(name: string, provider: ActiveProvider, record: string | undefined): string {
  const what =
    provider.kind === 'stand-in'
      ? 'stand-in'
      : provider.kind === 'mcp'
        ? `mcp ${shorten(serverLabel(provider.server))}`
        : `functions: ${provider.functions.map((f) => f.name).join(', ')}`;
  const mode = provider.live
    ? `LIVE: ${what}`
    : provider.kind === 'mcp'
      ? 'command' in provider.server && provider.server.runIn === 'sandbox'
        ? "MCP, in each run's sandbox"
        : 'MCP'
      : provider.kind === 'functions'
        ? 'TypeScript'
        : 'stand-in';
  return `${name} (${mode}${record ? `, recording to ${record}` : ''})`;
}

const shorten = (text: string): string => (text.length > 60 ? `${text.slice(0, 57)}...` : text);

/** Names of every toolset to list: the built-in stand-ins and the config's. */
export function toolsetNames(definitions: ToolsetDefinitions): string[] {
  return [...new Set([...STAND_INS.map((s) => s.name), ...Object.keys(definitions)])].sort();
}

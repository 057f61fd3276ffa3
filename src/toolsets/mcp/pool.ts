import { createHash } from 'node:crypto';
import { invalid } from '../../api/errors.js';
import { createRedactor } from '../../engine/redact.js';
import type { SecretOr, ToolsetProvider } from '../config.js';
import type { Toolset, ToolsetOpenContext, ToolsetTool } from '../types.js';
import { McpConnection, type ResolvedMcpServer } from './connection.js';

type McpDefinition = Extract<ToolsetProvider, { kind: 'mcp' }>;

/** Takes `{secret}` values from the run's secrets; a missing one is an error naming the fix. */
function resolveValues(
  toolset: string,
  values: Record<string, SecretOr> | undefined,
  secrets: Record<string, string>,
  used: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values ?? {})) {
    if (typeof value === 'string') {
      out[key] = value;
      continue;
    }
    const secret = secrets[value.secret];
    if (secret === undefined) {
      throw invalid(
        `toolset "${toolset}" needs the secret ${value.secret} for ${key}; add "${value.secret}" to the deployment's secrets (and its value to .env)`,
      );
    }
    out[key] = secret;
    used[value.secret] = secret;
  }
  return out;
}

/**
 * The MCP servers of the config. Each is started on first use and shared across runs: one process
 * per toolset and set of secret values (deployments with different secrets get their own).
 */
export class McpPool {
  private definitions: Record<string, McpDefinition> = {};
  private readonly connections = new Map<string, { definition: string; connection: McpConnection }>();

  constructor(private readonly log: (message: string) => void) {}

  /** New settings: servers whose settings changed or that were removed are stopped. */
  configure(definitions: Record<string, McpDefinition>): void {
    this.definitions = definitions;
    for (const [key, entry] of this.connections) {
      const name = key.split('\0')[0]!;
      const current = definitions[name];
      if (!current || JSON.stringify(current) !== entry.definition) {
        this.connections.delete(key);
        void entry.connection.close();
      }
    }
  }

  /** The connection for `name` with these secrets (made, not started). */
  connection(name: string, secrets: Record<string, string>): McpConnection {
    const definition = this.definitions[name];
    if (!definition) throw new Error(`no MCP toolset "${name}" in the config`);
    const used: Record<string, string> = {};
    const server: ResolvedMcpServer =
      'command' in definition.server
        ? { ...definition.server, env: resolveValues(name, definition.server.env, secrets, used) }
        : { ...definition.server, headers: resolveValues(name, definition.server.headers, secrets, used) };
    const key = `${name}\0${createHash('sha256').update(JSON.stringify(server)).digest('hex')}`;
    const existing = this.connections.get(key);
    if (existing) return existing.connection;
    const redactor = createRedactor(used);
    const connection = new McpConnection(name, server, (text) => redactor.string(text), this.log);
    this.connections.set(key, { definition: JSON.stringify(definition), connection });
    return connection;
  }

  /**
   * A server of `runIn: 'sandbox'`: one per run, started in its sandbox on first use and stopped
   * when the run ends (it sees that run's files, so it is never shared).
   */
  private sandboxConnection(name: string, ctx: ToolsetOpenContext): McpConnection {
    const definition = this.definitions[name]!;
    if (!ctx.sandbox || !ctx.onRunEnd || !('command' in definition.server)) {
      throw invalid(`toolset "${name}" runs in the run's sandbox (runIn: 'sandbox'), which only a run has`);
    }
    const used: Record<string, string> = {};
    const server: ResolvedMcpServer = {
      ...definition.server,
      env: resolveValues(name, definition.server.env, ctx.secrets, used),
    };
    const redactor = createRedactor(used);
    const connection = new McpConnection(
      name,
      server,
      (text) => redactor.string(text),
      this.log,
      ctx.sandbox,
    );
    ctx.onRunEnd(() => connection.close());
    return connection;
  }

  /** The toolset for `name`, or undefined when the config has no such MCP server. */
  toolset(name: string): Toolset | undefined {
    const definition = this.definitions[name];
    if (!definition) return undefined;
    return {
      name,
      kind: 'mcp',
      tools: async (ctx) => {
        const connection =
          'command' in definition.server && definition.server.runIn === 'sandbox'
            ? this.sandboxConnection(name, ctx)
            : this.connection(name, ctx.secrets);
        const tools = await connection.listTools(ctx.signal);
        return tools.map(
          (tool): ToolsetTool => ({
            ...tool,
            execute: (input, callCtx) =>
              connection.call(tool.name, input, { signal: callCtx.signal, timeoutMs: definition.timeoutMs }),
          }),
        );
      },
    };
  }

  async close(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((entry) => entry.connection.close()));
  }
}

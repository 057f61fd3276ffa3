import { invalid, notFound } from '../api/errors.js';
import { BUILTIN_TOOLS, type IntegrationData } from '../api/types.js';
import type { Db } from '../store/db.js';
import type { ToolsetDefinitions } from './config.js';
import { functionsToolset } from './functions-toolset.js';
import { createIntegrationItems } from './items.js';
import { McpPool } from './mcp/pool.js';
import { standInToolset } from './stand-in-toolset.js';
import { STAND_INS } from './stand-ins.js';
import { qualifiedName, type RunToolbox, splitName, type Toolset, type ToolsetTool } from './types.js';

/**
 * The toolsets this server knows: the built-in stand-ins, plus the config's MCP servers and
 * TypeScript functions (replaced on every config reload). Resolves a runtime's tool names into the
 * tools of one run.
 */
export class ToolsetRegistry {
  private definitions: ToolsetDefinitions = {};
  private readonly standIns = new Map<string, ReturnType<typeof standInToolset>>();
  private functionToolsets = new Map<string, Toolset>();
  readonly mcp: McpPool;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
    log: (message: string) => void = () => {},
  ) {
    this.mcp = new McpPool(log);
    for (const standIn of STAND_INS) {
      this.standIns.set(
        standIn.name,
        standInToolset(standIn, createIntegrationItems(db, standIn.name), {
          fixtures: () => {
            const definition = this.definitions[standIn.name];
            return definition?.kind === 'stand-in' ? definition.fixtures : undefined;
          },
          now: this.now,
        }),
      );
    }
  }

  /** Takes the config's toolsets (at start and on every reload); MCP servers whose settings changed are stopped. */
  configure(definitions: ToolsetDefinitions): void {
    this.definitions = definitions;
    this.functionToolsets = new Map(
      Object.entries(definitions).flatMap(([name, d]) =>
        d.kind === 'functions' ? [[name, functionsToolset(name, d.functions)] as const] : [],
      ),
    );
    this.mcp.configure(
      Object.fromEntries(
        Object.entries(definitions).flatMap(([name, d]) => (d.kind === 'mcp' ? [[name, d] as const] : [])),
      ),
    );
  }

  /** Every toolset name known now. */
  names(): string[] {
    return [
      ...this.standIns.keys(),
      ...Object.keys(this.definitions).filter((n) => !this.standIns.has(n)),
    ].sort();
  }

  private toolset(name: string): Toolset | undefined {
    return this.standIns.get(name) ?? this.functionToolsets.get(name) ?? this.mcp.toolset(name);
  }

  /** Why a runtime's `tools` entry (not a built-in) cannot be used, or undefined when it can. */
  problem(name: string): string | undefined {
    const split = splitName(name);
    const toolsetName = split?.toolset ?? name;
    const toolset = this.toolset(toolsetName);
    if (!toolset) {
      return `unknown tool "${name}"; valid tools are ${BUILTIN_TOOLS.join(', ')}, and the toolsets ${this.names().join(', ')} (all of one, like "gmail", or one tool, like "gmail__send_email"); add a toolset under tools: in runtools.config.ts (an MCP server or TypeScript functions)`;
    }
    if (split && toolset.kind !== 'mcp') {
      const known = this.staticTools(toolset).map((t) => t.name);
      if (!known.includes(split.tool)) {
        return `toolset "${toolsetName}" has no tool "${split.tool}"; its tools are ${known.map((t) => qualifiedName(toolsetName, t)).join(', ')}`;
      }
    }
    return undefined;
  }

  private staticTools(toolset: Toolset): ToolsetTool[] {
    if (toolset.kind === 'stand-in') {
      const standIn = STAND_INS.find((s) => s.name === toolset.name)!;
      return standIn.tools.map((t) => ({ name: t.name }) as ToolsetTool);
    }
    const definition = this.definitions[toolset.name];
    return definition?.kind === 'functions'
      ? definition.functions.map((f) => ({ name: f.name }) as ToolsetTool)
      : [];
  }

  /**
   * The toolset tools of one run, from its runtime's `tools` entries that are not built-ins. MCP
   * servers start here on first use. Fails with a message naming the toolset when one cannot be had.
   */
  async open(
    names: readonly string[],
    ctx: { secrets: Record<string, string>; signal: AbortSignal },
  ): Promise<RunToolbox> {
    const wanted = new Map<string, Set<string> | 'all'>();
    for (const name of names) {
      const split = splitName(name);
      const toolset = split?.toolset ?? name;
      const current = wanted.get(toolset);
      if (!split) wanted.set(toolset, 'all');
      else if (current !== 'all') wanted.set(toolset, new Set([...(current ?? []), split.tool]));
    }
    const byName = new Map<string, ToolsetTool>();
    for (const [toolsetName, selection] of wanted) {
      const toolset = this.toolset(toolsetName);
      if (!toolset) {
        throw invalid(
          `the runtime uses toolset "${toolsetName}", which this server does not know (any more); known toolsets: ${this.names().join(', ')}. Add it under tools: in runtools.config.ts or remove it from the runtime's tools`,
        );
      }
      const tools = await toolset.tools(ctx);
      for (const tool of tools) {
        if (selection === 'all' || selection.has(tool.name))
          byName.set(qualifiedName(toolsetName, tool.name), tool);
      }
      if (selection !== 'all') {
        const missing = [...selection].filter((t) => !tools.some((tool) => tool.name === t));
        if (missing.length > 0) {
          throw invalid(
            `toolset "${toolsetName}" has no tool ${missing.map((m) => `"${m}"`).join(', ')}; its tools are ${tools.map((t) => t.name).join(', ')}`,
          );
        }
      }
    }
    return {
      specs: [...byName].map(([name, tool]) => ({
        name,
        description: tool.description,
        inputSchema: tool.inputSchema,
      })),
      execute: async (name, input, callCtx) => {
        const tool = byName.get(name);
        if (!tool) return { output: `tool "${name}" is not available in this run`, isError: true };
        return tool.execute(input, callCtx);
      },
    };
  }

  /** The stand-ins, for `GET /v1/integrations`. */
  integrations(): IntegrationData[] {
    return STAND_INS.map((s) => ({
      name: s.name,
      description: s.description,
      tools: s.tools.map((t) => qualifiedName(s.name, t.name)),
      views: Object.keys(s.views),
      mode: 'stand-in' as const,
    }));
  }

  /** A stand-in's view (`gmail`, `outbox`): its state as a list, newest first. */
  view(integration: string, view: string): unknown[] {
    const standIn = STAND_INS.find((s) => s.name === integration);
    if (!standIn) {
      throw notFound(
        `integration "${integration}" not found; the stand-ins are ${STAND_INS.map((s) => s.name).join(', ')}`,
      );
    }
    const show = standIn.views[view];
    if (!show) {
      throw notFound(
        `integration "${integration}" has no view "${view}"; its views are ${Object.keys(standIn.views).join(', ')}`,
      );
    }
    this.standIns.get(integration)!.ensureSeeded();
    return show(createIntegrationItems(this.db, integration));
  }

  /** Stops the MCP servers. */
  close(): Promise<void> {
    return this.mcp.close();
  }
}

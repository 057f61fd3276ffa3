import path from 'node:path';
import { invalid, notFound } from '../api/errors.js';
import { BUILTIN_TOOLS, type IntegrationData } from '../api/types.js';
import type { Db } from '../store/db.js';
import type { ToolsetDefinitions } from './config.js';
import { functionsToolset } from './functions-toolset.js';
import { createIntegrationItems } from './items.js';
import { type ActiveProvider, activeProvider, describeToolset, toolsetNames } from './live.js';
import { McpPool } from './mcp/pool.js';
import { recordCall } from './recorder.js';
import { ownName, renamedToolset } from './renamed-toolset.js';
import { standInToolset } from './stand-in-toolset.js';
import { STAND_INS } from './stand-ins.js';
import {
  qualifiedName,
  type RunToolbox,
  splitName,
  type Toolset,
  type ToolsetOpenContext,
  type ToolsetTool,
} from './types.js';

export interface ToolsetRegistryOptions {
  now?: () => Date;
  log?: (message: string) => void;
  /** `runtools dev --live`: toolsets whose live provider serves instead of the stand-in. */
  live?: readonly string[];
  /** Where `record: true` writes: `<recordDir>/<toolset>.jsonl` (the data dir's recordings/). */
  recordDir?: string;
}

/**
 * The toolsets this server knows: the built-in stand-ins, plus the config's MCP servers and
 * TypeScript functions (replaced on every config reload). Resolves a runtime's tool names into the
 * tools of one run.
 */
export class ToolsetRegistry {
  private definitions: ToolsetDefinitions = {};
  /** What serves each configured toolset now (live provider or its own). */
  private active = new Map<string, ActiveProvider>();
  private readonly live: ReadonlySet<string>;
  private readonly now: () => Date;
  private readonly log: (message: string) => void;
  private readonly standIns = new Map<string, ReturnType<typeof standInToolset>>();
  private functionToolsets = new Map<string, Toolset>();
  readonly mcp: McpPool;

  constructor(
    private readonly db: Db,
    private readonly options: ToolsetRegistryOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? (() => {});
    this.live = new Set(options.live ?? []);
    this.mcp = new McpPool(this.log);
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

  /**
   * Takes the config's toolsets (at start and on every reload); MCP servers whose settings changed
   * are stopped. A toolset with a live provider is served by it only when `--live` names it or the
   * config sets `enabled: true`; otherwise by the stand-in (or its own mcp/functions).
   */
  configure(definitions: ToolsetDefinitions): void {
    this.definitions = definitions;
    this.active = new Map(
      Object.entries(definitions).map(([name, d]) => [name, activeProvider(name, d, this.live)] as const),
    );
    this.functionToolsets = new Map(
      [...this.active].flatMap(([name, p]) =>
        p.kind === 'functions' ? [[name, functionsToolset(name, p.functions)] as const] : [],
      ),
    );
    this.mcp.configure(
      Object.fromEntries(
        [...this.active].flatMap(([name, p]) => (p.kind === 'mcp' ? [[name, p] as const] : [])),
      ),
    );
  }

  /** The file `toolset`'s calls are appended to, or undefined when it is not recorded. */
  recordFile(toolset: string): string | undefined {
    const record = this.definitions[toolset]?.record;
    if (record === undefined) return undefined;
    if (record !== true) return record;
    return this.options.recordDir ? path.join(this.options.recordDir, `${toolset}.jsonl`) : undefined;
  }

  /** Each toolset and what serves it, as `runtools dev` prints it: `gmail (stand-in)`, `gmail (LIVE: mcp ...)`. */
  describe(): string[] {
    return toolsetNames(this.definitions).map((name) =>
      describeToolset(
        name,
        this.active.get(name) ?? { kind: 'stand-in', live: false },
        this.recordFile(name),
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
    // A stand-in's live provider, when on, sits among the functions or MCP toolsets and wins.
    const found = this.functionToolsets.get(name) ?? this.mcp.toolset(name) ?? this.standIns.get(name);
    const renamed = this.active.get(name)?.renamed;
    if (!found || !renamed) return found;
    return renamedToolset(
      found,
      renamed,
      STAND_INS.find((s) => s.name === name),
    );
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
    const provider = this.active.get(toolset.name);
    if (provider?.kind !== 'functions') return [];
    const seenAs = new Map(Object.entries(provider.renamed ?? {}).map(([seen, own]) => [ownName(own), seen]));
    return provider.functions.map((f) => ({ name: seenAs.get(f.name) ?? f.name }) as ToolsetTool);
  }

  /**
   * The toolset tools of one run, from its runtime's `tools` entries that are not built-ins. MCP
   * servers start here on first use. Fails with a message naming the toolset when one cannot be had.
   */
  async open(names: readonly string[], ctx: ToolsetOpenContext): Promise<RunToolbox> {
    const stops: (() => Promise<void>)[] = [];
    const close = async () => {
      await Promise.all(stops.splice(0).map((stop) => stop().catch(() => {})));
    };
    try {
      return await this.openTools(names, { ...ctx, onRunEnd: (stop) => stops.push(stop) }, close);
    } catch (error) {
      await close();
      throw error;
    }
  }

  private async openTools(
    names: readonly string[],
    ctx: ToolsetOpenContext,
    close: () => Promise<void>,
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
        const result = await tool.execute(input, callCtx);
        const toolset = splitName(name)!.toolset;
        const file = this.recordFile(toolset);
        if (file) {
          const provider = this.active.get(toolset) ?? { kind: 'stand-in', live: false };
          recordCall(
            file,
            {
              tool: name,
              provider: `${provider.live ? 'live ' : ''}${provider.kind}`,
              input,
              result,
              now: this.now(),
            },
            callCtx,
            this.log,
          );
        }
        return result;
      },
      close,
    };
  }

  /** The stand-ins, for `GET /v1/integrations`. */
  integrations(): IntegrationData[] {
    return STAND_INS.map((s) => ({
      name: s.name,
      description: s.description,
      tools: s.tools.map((t) => qualifiedName(s.name, t.name)),
      views: Object.keys(s.views),
      mode: this.active.get(s.name)?.live ? ('live' as const) : ('stand-in' as const),
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

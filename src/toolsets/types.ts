import type { ToolResult } from '../../tools/types.js';
import type { ModelToolSpec } from '../models/types.js';
import type { Sandbox } from '../sandbox/types.js';

/** What the model sees of a toolset's tool: `<toolset>__<tool>`, whichever provider serves it. */
export const TOOLSET_SEPARATOR = '__';

/** `gmail__send_email` for toolset `gmail`, tool `send_email`. */
export const qualifiedName = (toolset: string, tool: string): string =>
  `${toolset}${TOOLSET_SEPARATOR}${tool}`;

/** Splits `gmail__send_email` into its toolset and tool, or undefined for a plain (built-in) name. */
export function splitName(name: string): { toolset: string; tool: string } | undefined {
  const at = name.indexOf(TOOLSET_SEPARATOR);
  if (at <= 0) return undefined;
  return { toolset: name.slice(0, at), tool: name.slice(at + TOOLSET_SEPARATOR.length) };
}

/** Something a toolset tool reports while it runs, beside its result (a sent email). */
export interface IntegrationEvent {
  integration: string;
  action: string;
  /** One line for a person: what happened. */
  summary: string;
  data: Record<string, unknown>;
}

/** What a toolset tool sees of its run. */
export interface ToolsetCallContext {
  runId: string;
  /** The model's id for this call (absent when a tool is called outside a run's loop). */
  callId?: string;
  signal: AbortSignal;
  /** The deployment's secrets for this run (MCP servers' env take theirs from here). */
  secrets: Record<string, string>;
  emit(event: IntegrationEvent): void;
}

/**
 * One tool of a toolset, as the engine sees it: like a built-in tool, but with its input schema
 * already in JSON Schema (an MCP server gives it so) and `execute` validating its own input.
 * Bad input and tool failures come back as error results; an AbortError is rethrown.
 */
export interface ToolsetTool {
  /** The tool's own name, without the toolset prefix. */
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  execute(input: unknown, ctx: ToolsetCallContext): Promise<ToolResult>;
}

/** A named set of tools: a stand-in, an MCP server, or TypeScript functions from the config. */
export interface Toolset {
  name: string;
  kind: 'stand-in' | 'mcp' | 'functions';
  /** The tools it offers now; for an MCP server this starts it (first use) and lists them. */
  tools(ctx: ToolsetOpenContext): Promise<ToolsetTool[]>;
}

/** What opening a run's toolsets may use of the run. */
export interface ToolsetOpenContext {
  secrets: Record<string, string>;
  signal: AbortSignal;
  /** The run's sandbox once started (an MCP server with runIn 'sandbox' starts in it). */
  sandbox?: () => Promise<Sandbox>;
  /** Registers what to stop when the run ends (a per-run MCP server). */
  onRunEnd?: (stop: () => Promise<void>) => void;
}

/** The tools a run may call, resolved once at its start. */
export interface RunToolbox {
  /** The toolset tools' specs, named `<toolset>__<tool>`. */
  specs: ModelToolSpec[];
  execute(name: string, input: unknown, ctx: ToolsetCallContext): Promise<ToolResult>;
  /** Stops what was started for this run only (MCP servers in its sandbox). */
  close(): Promise<void>;
}

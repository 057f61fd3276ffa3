import type { z } from 'zod';
import type { IntegrationItems } from './items.js';
import type { ToolsetCallContext } from './types.js';
import type { ZodToolDefinition } from './zod-tool.js';

/** What a stand-in's tool sees: the call's context plus the stand-in's own storage. */
export interface StandInContext extends ToolsetCallContext {
  items: IntegrationItems;
  now(): Date;
}

/** A stand-in tool: zod input, and an execute that gets the stand-in's storage. */
export type StandInTool = Omit<ZodToolDefinition, 'execute'> & {
  execute(input: never, ctx: StandInContext): unknown;
};

/** Items to put in a fresh stand-in, by kind. */
export type StandInSeed = Record<string, { id: string; data: unknown; createdAt: string }[]>;

/**
 * A local stand-in for an integration (gmail, slack, ...): the same tools the real one offers, backed
 * by SQLite, so nothing leaves the machine. Adding one is one file that exports a StandIn, listed in
 * stand-ins.ts.
 */
export interface StandIn {
  name: string;
  description: string;
  tools: StandInTool[];
  /** What the config's `fixtures` file holds (JSON). */
  fixturesSchema: z.ZodType;
  /** The items a fresh stand-in holds: from the fixtures file when the config names one, else built-in ones. */
  seed(fixtures: unknown, now: Date): StandInSeed;
  /** Read-only views on the API: `GET /v1/integrations/<name>/<view>`. */
  views: Record<string, (items: IntegrationItems) => unknown[]>;
}

/** Typed helper: a stand-in tool with its input type inferred from its zod schema. */
export function standInTool<S extends z.ZodType>(tool: {
  name: string;
  description: string;
  inputSchema: S;
  execute(input: z.output<S>, ctx: StandInContext): unknown;
}): StandInTool {
  return tool as unknown as StandInTool;
}

import type { z } from 'zod';
import type { FileChange } from '../src/api/types.js';
import type { Sandbox } from '../src/sandbox/types.js';

/** Something a tool reports while it runs; the run turns it into an event. */
export type ToolEmitted =
  | { type: 'file_edit'; path: string; diff: string; change: FileChange['change'] }
  | { type: 'dev_url'; url: string; port: number };

/** What a tool sees of its run. */
export interface ToolContext {
  runId: string;
  sandbox: Sandbox;
  /** Sandbox paths the run may read and write (its mounts); `/workspace` is first. */
  roots: string[];
  signal: AbortSignal;
  emit(event: ToolEmitted): void;
  /** Host-side settings, e.g. the web search provider. */
  settings: ToolSettings;
  /** Per-run state a tool keeps between calls (the bash session, files read by read_file). */
  state: Map<string, unknown>;
}

export interface WebSearchSettings {
  provider: 'searxng' | 'brave' | 'tavily';
  /** Base URL (SearXNG) or API URL override. */
  url?: string;
  /** Name of the environment variable that holds the key. */
  apiKeyEnv?: string;
}

export interface ToolSettings {
  webSearch?: WebSearchSettings;
  env: Record<string, string | undefined>;
}

/** What the model gets back. `isError` marks a failed call the model should react to. */
export interface ToolResult {
  output: string;
  isError?: boolean;
}

/** A built-in tool: zod validates the model's input before `execute` sees it. */
export interface Tool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  inputSchema: S;
  execute(input: z.output<S>, ctx: ToolContext): Promise<ToolResult>;
}

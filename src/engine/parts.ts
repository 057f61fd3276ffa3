import type { ToolContext, ToolResult } from '../../tools/types.js';
import type { TokenUsage } from '../api/messages.js';
import type { FileChange, ModelConfig } from '../api/types.js';
import type { ModelPrice } from '../models/prices.js';
import type { ModelAdapter, ModelToolSpec } from '../models/types.js';
import type { SandboxFactory } from '../sandbox/types.js';
import type { ToolsetRegistry } from '../toolsets/registry.js';

/** Live change tracking of a run's workspace. */
export interface ChangeTracker {
  /** Every created, modified or deleted file since tracking started, with diffs. */
  changes(): Promise<FileChange[]>;
  stop(): Promise<void>;
}

/**
 * The replaceable parts a run is made of. `createLocalEngine` wires the real ones (Docker and
 * local sandboxes, the provider adapters, the built-in tools); tests can wire real ones of their
 * own choosing (for example the local sandbox and the scripted model).
 */
export interface RunParts {
  sandboxes: Partial<Record<'docker' | 'local', SandboxFactory>>;
  /**
   * Loads what `createModel` and `toolSpecs` need, when the parts import it on first use (the real
   * ones do, so `runtools dev` answers before the adapters and tools are compiled). A run, and a
   * judge, await it before calling them.
   */
  load?(): Promise<void>;
  /** Makes the adapter for a model config; throws a clear error for a missing key. */
  createModel(config: ModelConfig): ModelAdapter;
  toolSpecs(names: readonly string[]): ModelToolSpec[];
  /** Validates and runs one tool; bad input and tool failures come back as error results. */
  executeTool(name: string, input: unknown, ctx: ToolContext): Promise<ToolResult>;
  /**
   * Tools beyond the six (stand-ins, MCP servers, TypeScript tools), named `<toolset>__<tool>`.
   * A run resolves its runtime's other `tools` entries here; absent, only built-ins exist.
   */
  toolsets?: Pick<
    ToolsetRegistry,
    'names' | 'problem' | 'open' | 'configure' | 'integrations' | 'view' | 'close' | 'describe'
  >;
  trackChanges(hostDir: string, onChange: (change: FileChange) => void): Promise<ChangeTracker>;
  /** USD for `usage` on the adapter's model (at its configured price, if any), or null when unknown. */
  price(model: { provider: string; model: string; price?: ModelPrice }, usage: TokenUsage): number | null;
  /** Follows template image builds (steps) for `template` until the returned function is called. */
  watchBuilds?(template: string, listener: (step: string) => void): () => void;
  /** Removes containers left by runs that were interrupted (server restart). */
  removeRunContainers?(runIds: string[]): Promise<void>;
  /** Warm containers ready for runs to take now. */
  warmContainers?(): number;
  /** Releases what the parts keep between runs (warm containers); the engine calls it last. */
  close?(): Promise<void>;
}

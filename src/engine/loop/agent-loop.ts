import { assistantText, type Message, type TokenUsage } from '../../api/messages.js';
import type { EventPayload } from '../../api/types.js';
import type { ModelAdapter, ModelToolSpec } from '../../models/types.js';
import { type ModelTurn, modelTurn } from './model-turn.js';
import { runToolCalls, type ToolStep, type ToolStepDeps } from './tool-step.js';

/** The run ended because the agent kept going past its turn budget. */
export class TurnLimitReached extends Error {}

export interface LoopDeps {
  adapter: ModelAdapter;
  system: string;
  tools: ModelToolSpec[];
  maxTurns: number;
  maxTokens?: number;
  /** The conversation so far; the loop appends to it. */
  messages: Message[];
  signal: AbortSignal;
  emit(event: EventPayload): void;
  /** Pause or stop here; returns messages sent with sendInput meanwhile. */
  checkpoint(): Promise<string[]>;
  /** True when input arrived that the loop has not taken yet. */
  hasInput(): boolean;
  toolStep: Omit<ToolStepDeps, 'emit' | 'signal'>;
  /** After every model turn and tool step, so progress is stored as it happens. */
  onProgress(progress: { turn?: ModelTurn; tools?: ToolStep; usage?: TokenUsage }): void;
}

export interface LoopResult {
  output: string;
  turns: number;
}

/**
 * The agent loop, one step at a time: take any user input, call the model, run its tool calls,
 * repeat until the model ends its turn with no input waiting.
 */
export async function agentLoop(deps: LoopDeps): Promise<LoopResult> {
  let turns = 0;
  while (true) {
    for (const input of await deps.checkpoint()) {
      deps.messages.push({ role: 'user', content: [{ type: 'text', text: input }] });
      deps.emit({ type: 'input', content: input });
    }
    if (turns >= deps.maxTurns) {
      throw new TurnLimitReached(
        `the agent used all ${deps.maxTurns} model turns without finishing; raise maxTurns on the runtime or check its last tool calls for a loop`,
      );
    }
    turns++;
    const turn = await modelTurn(
      deps.adapter,
      { system: deps.system, messages: deps.messages, tools: deps.tools, maxTokens: deps.maxTokens },
      deps.signal,
      deps.emit,
    );
    deps.messages.push(turn.message);
    deps.onProgress({ turn });
    if (turn.toolCalls.length === 0) {
      if (deps.hasInput()) continue;
      return { output: assistantText(turn.message), turns };
    }
    const step = await runToolCalls(
      turn.toolCalls,
      { ...deps.toolStep, emit: deps.emit, signal: deps.signal },
      (partial) => {
        deps.messages.push(partial.message);
        deps.onProgress({ tools: partial });
      },
    );
    deps.messages.push(step.message);
    deps.onProgress({ tools: step });
  }
}

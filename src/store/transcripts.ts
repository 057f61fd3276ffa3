import type { AssistantMessage, Message } from '../api/messages.js';
import type { ToolCallRecord } from '../api/types.js';
import type { Db } from './db.js';

export type TranscriptStore = ReturnType<typeof createTranscriptStore>;

/**
 * A run's messages and tool calls, one row each, appended as the run goes (like run_events): a step
 * writes only what it added, so a long run's steps cost the same as a short one's.
 */
export function createTranscriptStore(db: Db) {
  const insertMessage = db.prepare(
    'INSERT OR REPLACE INTO run_messages (run_id, seq, role, data) VALUES (?, ?, ?, ?)',
  );
  const insertToolCall = db.prepare(
    'INSERT OR REPLACE INTO run_tool_calls (run_id, seq, data) VALUES (?, ?, ?)',
  );
  const messages = db.prepare<[string], { data: string }>(
    'SELECT data FROM run_messages WHERE run_id = ? ORDER BY seq',
  );
  const assistant = db.prepare<[string], { data: string }>(
    "SELECT data FROM run_messages WHERE run_id = ? AND role = 'assistant' ORDER BY seq",
  );
  const toolCalls = db.prepare<[string], { data: string }>(
    'SELECT data FROM run_tool_calls WHERE run_id = ? ORDER BY seq',
  );

  return {
    /** Stores `items` as entries `from`, `from + 1`, ... of the run's conversation. */
    appendMessages(runId: string, from: number, items: readonly Message[]): void {
      items.forEach((message, i) => {
        insertMessage.run(runId, from + i, message.role, JSON.stringify(message));
      });
    },
    appendToolCalls(runId: string, from: number, items: readonly ToolCallRecord[]): void {
      items.forEach((record, i) => {
        insertToolCall.run(runId, from + i, JSON.stringify(record));
      });
    },
    messages(runId: string): Message[] {
      return messages.all(runId).map((row) => JSON.parse(row.data) as Message);
    },
    toolCalls(runId: string): ToolCallRecord[] {
      return toolCalls.all(runId).map((row) => JSON.parse(row.data) as ToolCallRecord);
    },
    /** The assistant turns of a run, in order: what a replay model plays back. */
    assistantTurns(runId: string): AssistantMessage[] {
      return assistant.all(runId).map((row) => JSON.parse(row.data) as AssistantMessage);
    },
  };
}

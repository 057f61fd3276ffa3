import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import type { Message } from '../../src/api/messages.js';
import type { ToolCallRecord } from '../../src/api/types.js';
import { DB_FILE } from '../../src/store/db.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/store.js';
import { deploy } from '../helpers/runs.js';
import { tempDir } from '../helpers/tmp.js';
import { type Harness, startHarness } from '../helpers/transports.js';

const messages: Message[] = [
  { role: 'user', content: [{ type: 'text', text: 'list the files' }] },
  {
    role: 'assistant',
    content: [{ type: 'tool_call', callId: 'c1', name: 'bash', input: { command: 'ls' } }],
  },
  {
    role: 'tool',
    content: [{ type: 'tool_result', callId: 'c1', name: 'bash', output: 'a.txt', isError: false }],
  },
  { role: 'assistant', content: [{ type: 'text', text: 'One file: a.txt.' }] },
];
const toolCalls: ToolCallRecord[] = [
  {
    callId: 'c1',
    tool: 'bash',
    input: { command: 'ls' },
    output: 'a.txt',
    isError: false,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 3,
  },
];

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('a data dir from before migration 2 keeps its runs: messages and tool calls move to their tables', () => {
  const data = tempDir();
  cleanups.push(data.cleanup);
  mkdirSync(data.dir, { recursive: true });
  // The schema as version 1 left it, with one finished run in it.
  const old = new Database(path.join(data.dir, DB_FILE));
  old.exec(
    'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  old.exec(MIGRATIONS.find((m) => m.version === 1)!.sql);
  old.prepare("INSERT INTO schema_migrations VALUES (1, 'initial schema', '2026-01-01')").run();
  old
    .prepare(
      `INSERT INTO runs (id, deployment, runtime_slug, status, input, usage, messages, tool_calls, created_at)
       VALUES ('run-old', 'bot', 'bot', 'completed', '{}', '{}', ?, ?, '2026-01-01')`,
    )
    .run(JSON.stringify(messages), JSON.stringify(toolCalls));
  old.close();

  const store = openStore(data.dir);
  cleanups.push(() => store.close());
  const run = store.runs.get('run-old')!;
  expect(run.messages).toEqual(messages);
  expect(run.toolCalls).toEqual(toolCalls);
  expect(store.runs.recordedTurns('run-old')).toEqual([messages[1], messages[3]]);
  // The old columns no longer hold a copy.
  expect(store.db.prepare("SELECT messages, tool_calls FROM runs WHERE id = 'run-old'").get()).toEqual({
    messages: '[]',
    tool_calls: '[]',
  });
});

it('a run stores each message and tool call once, in order, as it goes', async () => {
  const h: Harness = await startHarness('in-process', { parts: { warn: () => {} } });
  cleanups.push(() => h.close());
  const steps = 12;
  await deploy(
    h,
    'steps',
    [
      ...Array.from({ length: steps }, (_, i) => ({
        toolCalls: [{ name: 'bash', input: { command: `echo step ${i}` } }],
      })),
      { text: 'done' },
    ],
    { tools: ['bash'], maxTurns: 50 },
  );
  const run = await h.rt.agents.run('steps', { message: 'go' });
  expect(run.status).toBe('completed');
  // user, then an assistant turn and a tool message per step, then the last turn.
  expect(run.messages).toHaveLength(1 + steps * 2 + 1);
  expect(run.toolCalls.map((c) => c.output.trim())).toEqual(
    Array.from({ length: steps }, (_, i) => `step ${i}`),
  );
  const db = h.engine.store.db;
  const rows = db.prepare('SELECT seq FROM run_messages WHERE run_id = ? ORDER BY seq').all(run.id) as {
    seq: number;
  }[];
  expect(rows.map((r) => r.seq)).toEqual(run.messages.map((_, i) => i));
  const calls = db.prepare('SELECT COUNT(*) AS n FROM run_tool_calls WHERE run_id = ?').get(run.id);
  expect(calls).toEqual({ n: steps });
});

/**
 * Events of the demo run (issue 13): the scripted todo-app session (scripts/demo/todo-app.json)
 * with real tools, counted against the events it would make with one text or thinking event per
 * streamed delta (what the model sent). Docker when it answers, else the local sandbox.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { words } from '../src/models/play.js';
import type { ScriptTurn } from '../src/models/script-file.js';
import { collect, deploy } from '../test/helpers/runs.js';
import { startHarness } from '../test/helpers/transports.js';
import { printComparisons } from './lib.js';

const SCRIPT = path.resolve(import.meta.dirname, '../scripts/demo/todo-app.json');

async function dockerAnswers(): Promise<boolean> {
  return new Docker()
    .ping()
    .then(() => true)
    .catch(() => false);
}

export async function main(): Promise<void> {
  const turns = (JSON.parse(readFileSync(SCRIPT, 'utf8')) as { turns: ScriptTurn[] }).turns;
  const deltas = turns.reduce(
    (n, turn) => n + words(turn.text ?? '').length + words(turn.thinking ?? '').length,
    0,
  );
  const sandbox = (await dockerAnswers()) ? 'docker' : 'local';
  const h = await startHarness('in-process', { parts: { warn: () => {} } });
  try {
    await deploy(h, 'demo', turns, { sandbox, maxTurns: 50, timeout: 300 });
    const run = await h.rt.agents.run('demo', { message: 'Create a todo app', stream: true });
    const events = await collect(run);
    const last = events.at(-1);
    if (last?.type !== 'status' || last.status !== 'completed')
      throw new Error(`the demo run did not complete: ${JSON.stringify(last)}`);
    const byType = new Map<string, number>();
    for (const e of events) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
    const streamed = events.filter((e) => e.type === 'text' || e.type === 'thinking').length;
    const perDelta = events.length - streamed + deltas;
    printComparisons(`events of the demo run (${sandbox} sandbox)`, [
      {
        what: 'events of the demo run',
        value: events.length,
        against: 'one event per delta',
        base: perDelta,
        unit: 'n',
        goal: '≤ 0.2× (≥ 5× fewer)',
      },
      {
        what: 'text and thinking events',
        value: streamed,
        against: 'deltas streamed',
        base: deltas,
        unit: 'n',
      },
    ]);
    process.stdout.write(`by type: ${[...byType].map(([type, n]) => `${type} ${n}`).join(', ')}\n`);
  } finally {
    await h.close();
  }
}

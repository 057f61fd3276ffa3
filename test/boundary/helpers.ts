import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { AgentRunEvent } from '../../src/api/types.js';
import type { ScriptTurn } from '../../src/models/script-file.js';
import { deploy, until } from '../helpers/runs.js';
import type { Harness } from '../helpers/transports.js';

/** A host folder outside every mount, holding a file whose content no record may ever show. */
export function hostSecret(): { dir: string; file: string; marker: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'runtools-host-'));
  const marker = `HOST-SECRET-${randomUUID()}`;
  const file = path.join(dir, 'secret.txt');
  writeFileSync(file, `${marker}\n`);
  return { dir, file, marker, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * GET /v1/health while a hostile run is active: it must complete, within a bound generous enough
 * for a loaded 2-core machine (the failure this guards against is a server that never answers).
 */
export async function expectServerAnswers(h: Harness): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${h.server!.url}/v1/health`, { signal: AbortSignal.timeout(10_000) });
  const ms = performance.now() - started;
  expect(response.status).toBe(200);
  expect(ms).toBeLessThan(5_000);
  return ms;
}

/** Another run (local sandbox, so it shares the server's threads) starts and completes. */
export async function expectOtherRunCompletes(h: Harness, slug = `bystander-${randomUUID().slice(0, 8)}`) {
  await deploy(h, slug, [
    { toolCalls: [{ name: 'bash', input: { command: 'echo fine > fine.txt && cat fine.txt' } }] },
    { text: 'ok' },
  ]);
  const result = await (await h.rt.agents.run(slug, { message: 'go', stream: true })).result();
  expect(result.status).toBe('completed');
  expect(result.files.map((f) => f.path)).toEqual(['/workspace/fine.txt']);
}

/**
 * Starts a Docker run of `turns` and waits for the first tool result, so the caller acts while the
 * run is still active (the next turn should have a delay).
 */
export async function startHostileRun(
  h: Harness,
  slug: string,
  turns: Partial<ScriptTurn>[],
  runOptions: { mounts?: { workspaceId: string; path: string; readOnly?: boolean }[] } = {},
  deployOptions: Parameters<typeof deploy>[3] = {},
) {
  await deploy(h, slug, turns, {
    sandbox: 'docker',
    templateSlug: 'nodejs-20',
    timeout: 300,
    ...deployOptions,
  });
  const run = await h.rt.agents.run(slug, { message: 'go', stream: true, ...runOptions });
  const iterator = run[Symbol.asyncIterator]();
  const seen: AgentRunEvent[] = [];
  await until(iterator, (e) => e.type === 'tool_result', seen);
  return {
    run,
    seen,
    /** Drains the stream to the end (a terminal status). */
    async finish() {
      await until(
        iterator,
        (e) => e.type === 'status' && ['completed', 'failed', 'cancelled', 'timed_out'].includes(e.status),
        seen,
      );
      return h.rt.runs.get(run.id);
    },
  };
}

/** Everything recorded about a run: its detail (events included) over the API, and the SQLite files' bytes. */
export async function recorded(h: Harness, runId: string): Promise<string> {
  const detail = await h.rt.runs.get(runId);
  const db = readdirSync(h.dataDir)
    .filter((name) => /\.(db|sqlite)(-wal|-shm)?$/.test(name))
    .map((name) => readFileSync(path.join(h.dataDir, name)).toString('latin1'));
  return [JSON.stringify(detail), ...db].join('\n');
}

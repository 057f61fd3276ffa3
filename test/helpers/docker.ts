import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { describe, it } from 'vitest';

/** Whether a Docker engine answers; asked once per test file. */
async function ping(): Promise<string | null> {
  try {
    await new Docker().ping();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export const dockerProblem = await ping();

/**
 * A describe block that needs the real Docker engine. Without one it is skipped with the reason in
 * its name, unless RUNTOOLS_REQUIRE_DOCKER=1 (CI): then it fails.
 */
export function describeDocker(name: string, fn: () => void): void {
  if (!dockerProblem) {
    describe(name, fn);
  } else if (process.env.RUNTOOLS_REQUIRE_DOCKER === '1') {
    describe(name, () => {
      it('needs a Docker engine (RUNTOOLS_REQUIRE_DOCKER=1)', () => {
        throw new Error(`no Docker engine reachable: ${dockerProblem}; run "bash scripts/docker-setup.sh"`);
      });
    });
  } else {
    describe.skip(`${name} [skipped: no Docker engine reachable: ${dockerProblem}]`, fn);
  }
}

/** The shipped templates folder. */
export const SHIPPED_TEMPLATES = path.resolve(import.meta.dirname, '../../templates');

/** A workspace folder the container user can write (the container runs as 1000 when we are root). */
export function tempWorkspace(prefix = 'runtools-ws-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const defaultLimits = { memoryMb: 512, cpus: 1, pids: 256 };

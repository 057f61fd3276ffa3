import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RunToolsError } from '../api/errors.js';

export const LOCK_FILE = 'engine.lock';

/**
 * One engine per data dir: two would number the same run's events twice. A lock left by a process
 * that died (a crash, a kill -9) is taken over, which is when restart recovery runs.
 */
export function acquireDataDirLock(dataDir: string): { release(): void } {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = Number(readFileSync(file, 'utf8'));
    if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
      throw new RunToolsError(
        'conflict',
        `another runtools engine (pid ${holder}) is using the data dir ${dataDir}; talk to it over HTTP, stop it, or pick another --data-dir`,
      );
    }
    writeFileSync(file, String(process.pid));
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      rmSync(file, { force: true });
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

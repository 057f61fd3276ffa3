import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A fresh temporary directory, removed by the returned cleanup. The retries cover a process the test
 * just killed whose last write lands while the folder is being removed (ENOTEMPTY).
 */
export function tempDir(prefix = 'runtools-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }) };
}

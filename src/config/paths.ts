import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed runtools package's root (it holds the shipped templates/), from src/ or dist/. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (dir !== path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'runtools'
    ) {
      return dir;
    }
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the runtools package root above ' + fileURLToPath(import.meta.url));
}

/** `--data-dir`, else RUNTOOLS_DATA_DIR, else `.runtools/` beside the config (or in the project dir). */
export function resolveDataDir(options: {
  flag?: string;
  env: Record<string, string | undefined>;
  projectDir: string;
}): string {
  return path.resolve(
    options.flag ?? options.env.RUNTOOLS_DATA_DIR ?? path.join(options.projectDir, '.runtools'),
  );
}

// vitest globalSetup: the CLI tests run the real bin/runtools.js, which runs dist/, so build once first.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export function setup(): void {
  execFileSync('npm', ['run', 'build', '--silent'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

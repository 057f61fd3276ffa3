#!/usr/bin/env node
// The `runtools` command: runs the compiled CLI (npm install builds it through `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write(
    'runtools is not built yet: run "npm install" (or "npm run build") in the runtools folder first.\n',
  );
  process.exit(1);
}
await import(main.href);

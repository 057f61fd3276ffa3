/**
 * `npm run bench`: runs every bench/*.bench.ts (or the ones named: `npm run bench -- engine`) and
 * prints their tables. Figures are medians of one run on this machine, not pass/fail goals.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

for (const file of files) {
  const bench = (await import(pathToFileURL(path.join(dir, file)).href)) as { main(): Promise<void> };
  const started = performance.now();
  await bench.main();
  process.stdout.write(`(${file}: ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}

/**
 * `npm run bench`: runs every bench/*.bench.ts (or the ones named: `npm run bench -- loop docker`)
 * and prints their tables. Figures are medians of interleaved trials on this machine, each next to
 * its peer or floor with the ratio; they are measurements, not pass/fail goals.
 *
 * It exits by itself: every bench closes what it opened. Anything still open at the end is named
 * (a leak to fix), and the process exits anyway rather than hang.
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
if (files.length === 0) {
  const known = readdirSync(dir).filter((f) => f.endsWith('.bench.ts'));
  process.stderr.write(
    `no bench matches ${wanted.join(', ')}; known: ${known.map((f) => f.replace('.bench.ts', '')).join(', ')}\n`,
  );
  process.exit(1);
}

let failed = false;
for (const file of files) {
  const started = performance.now();
  try {
    // Imported inside the try: a bench that fails to load is reported, and the others still run.
    const bench = (await import(pathToFileURL(path.join(dir, file)).href)) as { main(): Promise<void> };
    await bench.main();
  } catch (error) {
    failed = true;
    process.stderr.write(`${file} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.stdout.write(`(${file}: ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}

// Let sockets being closed finish closing, then name whatever a bench left open.
await new Promise((resolve) => setTimeout(resolve, 200));
const left = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'Timeout');
if (left.length > 0)
  process.stderr.write(`bench: still open at the end (a leak to fix): ${left.join(', ')}\n`);
process.exit(failed ? 1 : 0);

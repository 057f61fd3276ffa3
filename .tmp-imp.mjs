const spec = process.argv[2];
const t = performance.now();
await import(spec.startsWith('dist') ? new URL(spec, `file://${process.cwd()}/`).href : spec);
console.error(`${spec} ${(performance.now() - t).toFixed(0)}`);
process.exit(0);

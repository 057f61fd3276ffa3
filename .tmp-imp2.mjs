const [pre, ...specs] = process.argv.slice(2);
const u = (s) => (s.startsWith('dist') ? new URL(s, `file://${process.cwd()}/`).href : s);
for (const p of pre.split(',')) await import(u(p));
const t = performance.now();
for (const s of specs) await import(u(s));
console.error(`${specs.join(' ')} ${(performance.now() - t).toFixed(0)}`);
process.exit(0);

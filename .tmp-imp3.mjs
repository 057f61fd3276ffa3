const u = (s) => (s.startsWith('dist') ? new URL(s, `file://${process.cwd()}/`).href : s);
const out = [];
const t0 = performance.now();
for (const s of process.argv.slice(2)) { const t = performance.now(); await import(u(s)); out.push(`${s.replace('dist/src/','')}=${(performance.now() - t).toFixed(0)}`); }
console.error(out.join(' '), 'total', (performance.now() - t0).toFixed(0));
process.exit(0);

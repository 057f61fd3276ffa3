// Builds @runtools/sdk (packages/sdk) from the repo's src/sdk and src/api: copies the sources the
// client needs into the package (its declaration and source maps point at them), compiles them
// with no Node types (so the client stays fetch-only), and fails if the output imports any module.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pkg = path.join(root, 'packages/sdk');
const staged = path.join(pkg, 'src');
// schemas.ts is the server's validation (zod); the client sends bodies and lets the server judge.
const SERVER_ONLY = new Set(['schemas.ts', 'eval-schemas.ts', 'schema-agreement.ts', 'model-names.ts']);

rmSync(staged, { recursive: true, force: true });
rmSync(path.join(pkg, 'dist'), { recursive: true, force: true });
cpSync(path.join(root, 'src/sdk'), path.join(staged, 'sdk'), { recursive: true });
mkdirSync(path.join(staged, 'api'), { recursive: true });
for (const file of readdirSync(path.join(root, 'src/api'))) {
  if (!SERVER_ONLY.has(file)) copyFileSync(path.join(root, 'src/api', file), path.join(staged, 'api', file));
}
copyFileSync(path.join(root, 'LICENSE'), path.join(pkg, 'LICENSE'));

const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(pkg, 'tsconfig.json')], { stdio: 'inherit' });

// Ship only the sources that were compiled, so every map points at a file in the package.
const problems = [];
for (const dir of ['sdk', 'api']) {
  for (const file of readdirSync(path.join(staged, dir))) {
    const js = path.join(pkg, 'dist', dir, file.replace(/\.ts$/, '.js'));
    if (!existsSync(js)) {
      rmSync(path.join(staged, dir, file));
      continue;
    }
    const code = readFileSync(js, 'utf8');
    const specs = [
      ...code.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm),
      ...code.matchAll(/^import\s*['"]([^'"]+)['"]/gm),
      ...code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    ];
    for (const [, spec] of specs) {
      if (!spec.startsWith('.')) problems.push(`${dir}/${file} imports "${spec}"`);
    }
  }
}
if (problems.length) {
  console.error(`@runtools/sdk must need nothing beyond fetch, but:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}

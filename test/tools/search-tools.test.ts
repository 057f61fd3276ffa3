import { spawnSync } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeTool } from '../../tools/registry.js';
import { describeDocker } from '../helpers/docker.js';
import { openSandbox, type SandboxFixture, toolContext } from '../helpers/sandboxes.js';

const hostRipgrep = spawnSync('rg', ['--version']).status === 0;

function searchSuite(kind: 'docker' | 'local'): void {
  let fx: SandboxFixture;
  const put = (rel: string, content: string, mtimeSec?: number) => {
    mkdirSync(path.dirname(path.join(fx.workspace, rel)), { recursive: true });
    writeFileSync(path.join(fx.workspace, rel), content);
    if (mtimeSec) utimesSync(path.join(fx.workspace, rel), mtimeSec, mtimeSec);
  };
  beforeAll(async () => {
    fx = await openSandbox(kind);
    put('.gitignore', 'dist/\n');
    put('src/b.ts', 'export function beta() {}\n', 1_700_000_300);
    put('src/a.ts', 'export function alpha() {}\nconst ALPHA = 1;\n', 1_700_000_100);
    put('src/c.ts', 'export function gamma() {}\n', 1_700_000_100);
    put('README.md', 'alpha docs\n', 1_700_000_200);
    put('dist/out.ts', 'export function alpha() {}\n');
  });
  afterAll(async () => {
    await fx?.close();
  });
  const run = (name: string, input: unknown) => executeTool(name, input, toolContext(fx.sandbox));

  it('grep lists matching files, sorted, honoring .gitignore', async () => {
    expect((await run('grep', { pattern: 'function \\w+' })).output).toBe(
      '3 files matched in /workspace:\nsrc/a.ts\nsrc/b.ts\nsrc/c.ts',
    );
  });

  it('grep shows content with line numbers, counts, case-insensitivity, glob and a head limit', async () => {
    expect(
      (await run('grep', { pattern: 'alpha', output_mode: 'content', case_insensitive: true, glob: '*.ts' }))
        .output,
    ).toBe(
      '2 lines matched in /workspace:\nsrc/a.ts:1:export function alpha() {}\nsrc/a.ts:2:const ALPHA = 1;',
    );
    expect((await run('grep', { pattern: 'alpha', output_mode: 'count', path: 'src' })).output).toBe(
      '1 files matched in /workspace/src:\nsrc/a.ts:1',
    );
    expect((await run('grep', { pattern: 'function', head_limit: 2 })).output).toMatch(
      /showing the first 2:\nsrc\/a\.ts\nsrc\/b\.ts\n\[results limited to 2 of 3/,
    );
  });

  it("grep says when nothing matches and passes on ripgrep's message for a bad regex", async () => {
    expect((await run('grep', { pattern: 'zeta' })).output).toBe(
      'No matches found for pattern "zeta" in /workspace',
    );
    expect(await run('grep', { pattern: 'foo(' })).toMatchObject({
      isError: true,
      output: expect.stringContaining('unclosed group'),
    });
  });

  it('glob lists matches newest first, ties by path, and counts what .gitignore hides', async () => {
    expect((await run('glob', { pattern: '**/*.ts' })).output).toBe(
      '3 files match "**/*.ts" in /workspace, newest first (1 more matching files are ignored by .gitignore):\n/workspace/src/b.ts\n/workspace/src/a.ts\n/workspace/src/c.ts',
    );
    expect((await run('glob', { pattern: '*.nothing' })).output).toBe(
      'No files match "*.nothing" in /workspace.',
    );
  });

  it('glob caps its list at 100 with a note', async () => {
    await fx.sandbox.exec('mkdir -p many && cd many && for i in $(seq 1 120); do touch f$i.txt; done');
    const output = (await run('glob', { pattern: 'many/*.txt' })).output;
    expect(output.split('\n').filter((l) => l.startsWith('/workspace/many/'))).toHaveLength(100);
    expect(output).toContain('[showing 100 of 120, newest first');
  });
}

// The templates ship ripgrep; the local sandbox uses the host's ("npm run setup" installs it on Debian).
describeDocker('grep and glob in a Docker sandbox', () => searchSuite('docker'));
(hostRipgrep ? describe : describe.skip)(
  `grep and glob in the local sandbox${hostRipgrep ? '' : ' [skipped: no ripgrep (rg) on this machine]'}`,
  () => searchSuite('local'),
);

describe('tool registry', () => {
  let fx: SandboxFixture;
  beforeAll(async () => {
    fx = await openSandbox('local');
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('gives models JSON Schemas of the tools asked for', async () => {
    const { toolSpecs } = await import('../../tools/registry.js');
    const specs = toolSpecs(['read_file', 'edit_file']);
    expect(specs.map((s) => s.name)).toEqual(['read_file', 'edit_file']);
    expect(specs[0]!.inputSchema).toMatchObject({
      type: 'object',
      properties: { path: { type: 'string' }, offset: { type: 'integer' }, limit: { type: 'integer' } },
      required: ['path'],
    });
    expect(specs[0]!.description.length).toBeGreaterThan(50);
  });

  it('turns bad input and unknown tools into error results naming the field', async () => {
    const ctx = toolContext(fx.sandbox);
    expect(await executeTool('read_file', { path: 42 }, ctx)).toMatchObject({
      isError: true,
      output: expect.stringMatching(/^invalid input for read_file: path: /),
    });
    expect(await executeTool('edit_file', { path: 'a' }, ctx)).toMatchObject({
      isError: true,
      output: expect.stringContaining('old_string'),
    });
    expect(await executeTool('teleport', {}, ctx)).toMatchObject({
      isError: true,
      output: expect.stringContaining('unknown tool'),
    });
  });
});

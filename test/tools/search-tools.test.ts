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
    put('app/src/main.ts', 'export const main = "app";\n', 1_700_000_100);
    put('app/src/deep/util.ts', 'export const util = "app";\n', 1_700_000_100);
    put('app/lib/other.ts', 'export const other = "app";\n', 1_700_000_100);
  });
  afterAll(async () => {
    await fx?.close();
  });
  const run = (name: string, input: unknown, ctx = toolContext(fx.sandbox)) => executeTool(name, input, ctx);

  it('grep lists matching files, sorted, honoring .gitignore', async () => {
    expect((await run('grep', { pattern: 'function \\w+' })).output).toBe(
      '3 files matched in /workspace:\nsrc/a.ts\nsrc/b.ts\nsrc/c.ts',
    );
    expect((await run('grep', { pattern: 'gamma', path: 'src/c.ts' })).output).toBe(
      '1 file matched in /workspace/src/c.ts:\nsrc/c.ts',
    );
  });

  it('grep shows content with line numbers, counts, case-insensitivity, glob and a head limit', async () => {
    expect(
      (await run('grep', { pattern: 'alpha', output_mode: 'content', case_insensitive: true, glob: '*.ts' }))
        .output,
    ).toBe(
      '2 matching lines in 1 file in /workspace:\nsrc/a.ts:1:export function alpha() {}\nsrc/a.ts:2:const ALPHA = 1;',
    );
    expect((await run('grep', { pattern: 'alpha', output_mode: 'count', path: 'src' })).output).toBe(
      '1 matching line in 1 file in /workspace/src:\nsrc/a.ts:1',
    );
  });

  it('grep with context lines counts matches, not context lines, in its header', async () => {
    expect(
      (await run('grep', { pattern: 'ALPHA', output_mode: 'content', context: 1, path: 'src' })).output,
    ).toBe(
      '1 matching line in 1 file in /workspace/src, with 1 line of context around each:\nsrc/a.ts-1-export function alpha() {}\nsrc/a.ts:2:const ALPHA = 1;',
    );
  });

  it('grep pages with head_limit and offset, and the note gives the next offset', async () => {
    expect((await run('grep', { pattern: 'function', head_limit: 2 })).output).toBe(
      '3 files matched in /workspace:\nsrc/a.ts\nsrc/b.ts\n[showing result lines 1-2 of 3; continue with offset 2, or narrow the pattern, path or glob]',
    );
    expect((await run('grep', { pattern: 'function', head_limit: 2, offset: 2 })).output).toBe(
      '3 files matched in /workspace:\nsrc/c.ts\n[showing result lines 3-3 of 3]',
    );
    expect(await run('grep', { pattern: 'function', offset: 3 })).toEqual({
      isError: true,
      output: '3 files matched in /workspace; offset 3 is past the end: there are 3 result lines.',
    });
  });

  it('a field a tool does not take is an error naming it and the fields that exist', async () => {
    expect(await run('grep', { pattern: 'alpha', page: 2 })).toEqual({
      isError: true,
      output:
        'invalid input for grep: unknown field "page" (grep takes: pattern, path, glob, output_mode, case_insensitive, context, head_limit, offset)',
    });
    expect(await run('glob', { pattern: '*.ts', recursive: true, limit: 5 })).toEqual({
      isError: true,
      output:
        'invalid input for glob: unknown fields "recursive", "limit" (glob takes: pattern, path, offset)',
    });
  });

  it('glob and grep patterns with a folder part are relative to the search path', async () => {
    expect((await run('glob', { pattern: 'src/*.ts', path: '/workspace/app' })).output).toBe(
      '1 files match "src/*.ts" in /workspace/app, newest first:\n/workspace/app/src/main.ts',
    );
    expect((await run('glob', { pattern: 'src/**/*.ts', path: 'app' })).output).toBe(
      '2 files match "src/**/*.ts" in /workspace/app, newest first:\n/workspace/app/src/deep/util.ts\n/workspace/app/src/main.ts',
    );
    // An absolute pattern names its folder itself; ./ is the search path.
    expect((await run('glob', { pattern: '/workspace/app/src/*.ts' })).output).toBe(
      '1 files match "/workspace/app/src/*.ts" in /workspace/app/src, newest first:\n/workspace/app/src/main.ts',
    );
    expect((await run('glob', { pattern: './src/*.ts', path: 'app' })).output).toContain(
      ':\n/workspace/app/src/main.ts',
    );
    expect((await run('grep', { pattern: 'app', path: '/workspace/app', glob: 'src/*.ts' })).output).toBe(
      '1 file matched in /workspace/app:\napp/src/main.ts',
    );
    expect((await run('grep', { pattern: 'app', path: 'app', glob: 'src/**' })).output).toBe(
      '2 files matched in /workspace/app:\napp/src/deep/util.ts\napp/src/main.ts',
    );
    expect((await run('grep', { pattern: 'app', glob: '!app/src/**', path: 'app' })).output).toBe(
      '3 files matched in /workspace/app:\napp/lib/other.ts\napp/src/deep/util.ts\napp/src/main.ts',
    );
  });

  it('grep and glob say when the path does not exist, and glob when it is a file', async () => {
    expect(await run('grep', { pattern: 'x', path: 'scr' })).toEqual({
      isError: true,
      output: 'path not found: scr; did you mean /workspace/src? (use glob to find files by name)',
    });
    expect(await run('glob', { pattern: '*.ts', path: 'README.md' })).toEqual({
      isError: true,
      output:
        '/workspace/README.md is a file; glob searches folders (give its folder as path, or read_file it)',
    });
  });

  if (kind === 'docker') {
    it('grep and glob search what the container can read, such as /tmp', async () => {
      const ctx = toolContext(fx.sandbox, { runId: `run_search_${Date.now()}` });
      await executeTool(
        'bash',
        { command: 'mkdir -p /tmp/logs && echo "ERROR: boom" > /tmp/logs/build.log' },
        ctx,
      );
      expect(
        (await run('grep', { pattern: 'ERROR', path: '/tmp/logs', output_mode: 'content' })).output,
      ).toBe('1 matching line in 1 file in /tmp/logs:\n/tmp/logs/build.log:1:ERROR: boom');
      expect((await run('glob', { pattern: '*.log', path: '/tmp/logs' })).output).toBe(
        '1 files match "*.log" in /tmp/logs, newest first:\n/tmp/logs/build.log',
      );
      await executeTool('bash', { command: 'rm -r /tmp/logs' }, ctx);
    });
  } else {
    it('grep and glob on the local sandbox stay in the run folders', async () => {
      expect(await run('grep', { pattern: 'root', path: '/etc' })).toEqual({
        isError: true,
        output:
          'refused: /etc is outside the folders this run may read in the local sandbox: /workspace, /tmp/runtools-run_test',
      });
      expect(await run('glob', { pattern: '/etc/*.conf' })).toMatchObject({ isError: true });
    });
  }

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
    expect((await run('glob', { pattern: '**/*.ts', path: 'src' })).output).toBe(
      '3 files match "**/*.ts" in /workspace/src, newest first:\n/workspace/src/b.ts\n/workspace/src/a.ts\n/workspace/src/c.ts',
    );
    expect((await run('glob', { pattern: 'dist/*.ts' })).output).toBe(
      'No files match "dist/*.ts" in /workspace (1 more matching files are ignored by .gitignore).',
    );
    expect((await run('glob', { pattern: '*.nothing' })).output).toBe(
      'No files match "*.nothing" in /workspace.',
    );
  });

  it('glob caps its list at 100 with a note', async () => {
    await fx.sandbox.exec('mkdir -p many && cd many && touch f{1..120}.txt');
    const output = (await run('glob', { pattern: 'many/*.txt' })).output;
    expect(output.split('\n').filter((l) => l.startsWith('/workspace/many/'))).toHaveLength(100);
    expect(output).toContain('[showing 1-100 of 120, newest first; continue with offset 100');
    const rest = (await run('glob', { pattern: 'many/*.txt', offset: 100 })).output;
    expect(rest.split('\n').filter((l) => l.startsWith('/workspace/many/'))).toHaveLength(20);
    expect(rest).toContain('[showing 101-120 of 120, newest first]');
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

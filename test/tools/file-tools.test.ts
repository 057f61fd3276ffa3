import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeTool } from '../../tools/registry.js';
import { describeDocker } from '../helpers/docker.js';
import { openSandbox, type SandboxFixture, toolContext } from '../helpers/sandboxes.js';

/** The same behaviour in a container and on the host. */
function fileToolSuite(kind: 'docker' | 'local') {
  let fx: SandboxFixture;
  beforeAll(async () => {
    fx = await openSandbox(kind);
  });
  afterAll(async () => {
    await fx?.close();
  });
  const run = (name: string, input: unknown, ctx = toolContext(fx.sandbox)) => executeTool(name, input, ctx);

  it('read_file numbers lines and says how to continue a cut read', async () => {
    fx.put('lines.txt', Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
    expect((await run('read_file', { path: 'lines.txt', limit: 3 })).output).toBe(
      '1\tline 1\n2\tline 2\n3\tline 3\n\n[showing lines 1-3 of 10; continue with offset 4]',
    );
    expect((await run('read_file', { path: '/workspace/lines.txt', offset: 9 })).output).toBe(
      '9\tline 9\n10\tline 10',
    );
    expect(await run('read_file', { path: 'lines.txt', offset: 11 })).toMatchObject({
      isError: true,
      output: expect.stringContaining('has 10 lines'),
    });
  });

  it('read_file cuts long lines, and says when a file is empty, binary, missing or a folder', async () => {
    fx.put('long.txt', `${'x'.repeat(2500)}\n`);
    expect((await run('read_file', { path: 'long.txt' })).output).toMatch(
      /^1\tx{2000}\.\.\. \[line cut: 2500 characters\]$/,
    );
    fx.put('empty.txt', '');
    expect((await run('read_file', { path: 'empty.txt' })).output).toBe(
      '/workspace/empty.txt is empty (0 bytes).',
    );
    fx.put('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
    expect(await run('read_file', { path: 'image.png' })).toMatchObject({
      isError: true,
      output: expect.stringMatching(/binary file \(8 bytes\)/),
    });
    fx.put('config.json', '{}');
    expect(await run('read_file', { path: 'confg.json' })).toMatchObject({
      isError: true,
      output: expect.stringContaining('file not found: confg.json; did you mean /workspace/config.json?'),
    });
    mkdirSync(path.join(fx.workspace, 'src'), { recursive: true });
    fx.put('src/a.ts', '');
    expect((await run('read_file', { path: 'src' })).output).toContain('is a directory with 1 entries');
  });

  it('edit_file replaces exactly one match and reports the edit with a unified diff', async () => {
    fx.put('app.js', 'const a = 1;\nconst b = 2;\n');
    const ctx = toolContext(fx.sandbox);
    const result = await run(
      'edit_file',
      { path: 'app.js', old_string: 'const b = 2;', new_string: 'const b = 3;' },
      ctx,
    );
    expect(result.isError).toBeFalsy();
    expect(result.output).toContain('2\tconst b = 3;');
    expect(readFileSync(path.join(fx.workspace, 'app.js'), 'utf8')).toBe('const a = 1;\nconst b = 3;\n');
    expect(ctx.emitted).toEqual([
      {
        type: 'file_edit',
        path: '/workspace/app.js',
        change: 'modified',
        diff: expect.stringMatching(/-const b = 2;\n\+const b = 3;/),
      },
    ]);
  });

  it('edit_file refuses an ambiguous or missing match, naming the count and lines', async () => {
    fx.put('dup.txt', 'x = 1\ny = 2\nx = 1\n');
    expect(
      await run('edit_file', { path: 'dup.txt', old_string: 'x = 1', new_string: 'x = 9' }),
    ).toMatchObject({
      isError: true,
      output: expect.stringContaining('occurs 2 times in /workspace/dup.txt, at lines 1, 3'),
    });
    expect(await run('edit_file', { path: 'dup.txt', old_string: 'z = 1', new_string: 'q' })).toMatchObject({
      isError: true,
      output: expect.stringContaining('(0 occurrences)'),
    });
    await run('edit_file', { path: 'dup.txt', old_string: 'x = 1', new_string: 'x = 9', replace_all: true });
    expect(readFileSync(path.join(fx.workspace, 'dup.txt'), 'utf8')).toBe('x = 9\ny = 2\nx = 9\n');
  });

  it('edit_file keeps CRLF endings and the missing final newline', async () => {
    fx.put('win.txt', 'one\r\ntwo\r\nthree');
    const result = await run('edit_file', {
      path: 'win.txt',
      old_string: 'one\ntwo',
      new_string: 'uno\ndos',
    });
    expect(result.isError).toBeFalsy();
    expect(readFileSync(path.join(fx.workspace, 'win.txt'), 'utf8')).toBe('uno\r\ndos\r\nthree');
  });

  it('edit_file with old_string "" creates a file and its folders, but not over a non-empty file', async () => {
    const ctx = toolContext(fx.sandbox);
    expect(
      (await run('edit_file', { path: 'deep/new/file.txt', old_string: '', new_string: 'hi\n' }, ctx)).output,
    ).toBe('Created /workspace/deep/new/file.txt (1 lines).');
    expect(ctx.emitted[0]).toMatchObject({ change: 'created', path: '/workspace/deep/new/file.txt' });
    expect(readFileSync(path.join(fx.workspace, 'deep/new/file.txt'), 'utf8')).toBe('hi\n');
    expect(
      await run('edit_file', { path: 'deep/new/file.txt', old_string: '', new_string: 'again' }),
    ).toMatchObject({
      isError: true,
      output: expect.stringContaining('already exists and is not empty'),
    });
  });

  it('refuses paths that leave the workspace by .. or through a symlink', async () => {
    expect(await run('read_file', { path: '../etc/passwd' })).toMatchObject({
      isError: true,
      output: expect.stringContaining('refused: ../etc/passwd resolves to /etc/passwd'),
    });
    symlinkSync('/etc', path.join(fx.workspace, 'sneaky'));
    expect(await run('read_file', { path: 'sneaky/passwd' })).toMatchObject({
      isError: true,
      output: expect.stringContaining('goes through a symlink that leads to /etc/passwd'),
    });
    expect(await run('edit_file', { path: 'sneaky/evil', old_string: '', new_string: 'x' })).toMatchObject({
      isError: true,
      output: expect.stringContaining('refused'),
    });
    // A symlink that stays inside is followed.
    symlinkSync('lines.txt', path.join(fx.workspace, 'alias.txt'));
    expect((await run('read_file', { path: 'alias.txt', limit: 1 })).output).toContain('1\tline 1');
  });
}

describeDocker('file tools in a Docker sandbox', () => fileToolSuite('docker'));
describe('file tools in the local sandbox', () => fileToolSuite('local'));

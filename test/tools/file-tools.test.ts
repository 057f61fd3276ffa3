import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

  it('edit_file writes only inside the run folders, by path, by .. or through a symlink', async () => {
    expect(await run('edit_file', { path: '/tmp/outside.txt', old_string: '', new_string: 'x' })).toEqual({
      isError: true,
      output: 'refused: /tmp/outside.txt is outside the folders this run may change: /workspace',
    });
    expect(await run('edit_file', { path: '../etc/evil', old_string: '', new_string: 'x' })).toEqual({
      isError: true,
      output:
        'refused: ../etc/evil resolves to /etc/evil, which is outside the folders this run may change: /workspace',
    });
    symlinkSync('/etc', path.join(fx.workspace, 'sneaky'));
    expect(await run('edit_file', { path: 'sneaky/evil', old_string: '', new_string: 'x' })).toMatchObject({
      isError: true,
      output: expect.stringMatching(/^refused: sneaky\/evil goes through a symlink that leads/),
    });
    // A symlink that stays inside is followed.
    symlinkSync('lines.txt', path.join(fx.workspace, 'alias.txt'));
    expect((await run('read_file', { path: 'alias.txt', limit: 1 })).output).toContain('1\tline 1');
  });

  if (kind === 'docker') {
    it('read_file reads what the container can read: a log a command wrote, /etc through a symlink', async () => {
      const ctx = toolContext(fx.sandbox, { runId: `run_files_${Date.now()}` });
      await executeTool('bash', { command: 'echo "2 tests failed" > /tmp/build.log' }, ctx);
      expect((await run('read_file', { path: '/tmp/build.log' }, ctx)).output).toBe('1\t2 tests failed');
      expect((await run('read_file', { path: '../etc/hostname', limit: 1 })).isError).toBeFalsy();
      // sneaky -> /etc, made by the test above: the container's /etc, as `cat` would show it.
      expect((await run('read_file', { path: 'sneaky/os-release' })).output).toContain('Debian');
      expect((await run('read_file', { path: '/tmp/buld.log' })).output).toBe(
        'file not found: /tmp/buld.log; did you mean /tmp/build.log? (use glob to find files by name)',
      );
      await executeTool('bash', { command: 'rm /tmp/build.log' }, ctx);
    });
  } else {
    it('read_file on the local sandbox stays in the run folders and never names a host path', async () => {
      expect(await run('read_file', { path: '/tmp/build.log' })).toEqual({
        isError: true,
        output:
          'refused: /tmp/build.log is outside the folders this run may read in the local sandbox: /workspace, /tmp/runtools-run_test',
      });
      const elsewhere = mkdtempSync(path.join(tmpdir(), 'runtools-elsewhere-'));
      writeFileSync(path.join(elsewhere, 'secret.txt'), 'host file\n');
      symlinkSync(elsewhere, path.join(fx.workspace, 'to-host'));
      const result = await run('read_file', { path: 'to-host/secret.txt' });
      expect(result).toEqual({
        isError: true,
        output:
          'refused: to-host/secret.txt goes through a symlink that leads outside the folders this run may read in the local sandbox: /workspace, /tmp/runtools-run_test',
      });
      expect(result.output).not.toContain(elsewhere);
      expect(result.output).not.toContain(fx.workspace);
      rmSync(elsewhere, { recursive: true, force: true });
    });
  }

  it('edit_file on a file changed since it was read shows what changed, then takes the retry', async () => {
    const ctx = toolContext(fx.sandbox);
    fx.put('stale.ts', 'const a = 1;\nconst b = 2;\n');
    await run('read_file', { path: 'stale.ts' }, ctx);
    // A formatter (or any command) rewrites the file after the read.
    fx.put('stale.ts', 'const a = 1;\nconst b = 2;\nconst c = 3;\n');
    const refused = await run(
      'edit_file',
      { path: 'stale.ts', old_string: 'b = 2', new_string: 'b = 20' },
      ctx,
    );
    expect(refused.isError).toBe(true);
    expect(refused.output).toMatch(
      /^\/workspace\/stale\.ts changed since you last read it \(a command, a formatter or another process wrote it\), so old_string was not applied to text you have not seen\. What changed since your read:\n/,
    );
    expect(refused.output).toContain('+const c = 3;');
    expect(refused.output).toMatch(
      /The file as it is now counts as read: check old_string against it and edit again\.$/,
    );
    expect(readFileSync(path.join(fx.workspace, 'stale.ts'), 'utf8')).toBe(
      'const a = 1;\nconst b = 2;\nconst c = 3;\n',
    );
    // The retry applies: the change was shown.
    expect(
      (await run('edit_file', { path: 'stale.ts', old_string: 'b = 2', new_string: 'b = 20' }, ctx)).isError,
    ).toBeFalsy();
    // Its own edit counts as read: a second edit needs no read in between.
    expect(
      (await run('edit_file', { path: 'stale.ts', old_string: 'c = 3', new_string: 'c = 30' }, ctx)).isError,
    ).toBeFalsy();
    // So does a file it created.
    await run('edit_file', { path: 'made.txt', old_string: '', new_string: 'one\n' }, ctx);
    expect(
      (await run('edit_file', { path: 'made.txt', old_string: 'one', new_string: 'two' }, ctx)).isError,
    ).toBeFalsy();
    // A change by bash counts too; a file never read in the run is edited as it is.
    await run('bash', { command: 'echo three >> made.txt' }, ctx);
    expect(
      (await run('edit_file', { path: 'made.txt', old_string: 'two', new_string: '2' }, ctx)).output,
    ).toContain('changed since you last read it');
    fx.put('never-read.txt', 'x = 1\n');
    expect(
      (await run('edit_file', { path: 'never-read.txt', old_string: 'x = 1', new_string: 'x = 2' }, ctx))
        .isError,
    ).toBeFalsy();
  });

  it('edit_file on a large changed file asks for a fresh read and holds until there is one', async () => {
    const ctx = toolContext(fx.sandbox);
    const big = Array.from({ length: 30_000 }, (_, i) => `row ${i}`).join('\n');
    fx.put('big.txt', `${big}\n`);
    await run('read_file', { path: 'big.txt', limit: 10 }, ctx);
    fx.put('big.txt', `${big}\nrow new\n`);
    const edit = () =>
      run('edit_file', { path: 'big.txt', old_string: 'row 5\n', new_string: 'row five\n' }, ctx);
    for (let i = 0; i < 2; i++) {
      expect(await edit()).toMatchObject({
        isError: true,
        output: expect.stringMatching(
          /changed since you last read it .* Read it again with read_file, then edit\.$/,
        ),
      });
    }
    await run('read_file', { path: 'big.txt', offset: 29_999 }, ctx);
    expect((await edit()).isError).toBeFalsy();
  });
}

describeDocker('file tools in a Docker sandbox', () => fileToolSuite('docker'));
describe('file tools in the local sandbox', () => fileToolSuite('local'));

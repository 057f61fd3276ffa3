import { mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileChange } from '../../src/api/types.js';
import { type ChangeTracking, startChangeTracking } from '../../src/sandbox/changes.js';
import { executeTool } from '../../tools/registry.js';
import { describeDocker } from '../helpers/docker.js';
import { openSandbox, toolContext } from '../helpers/sandboxes.js';
import { tempDir } from '../helpers/tmp.js';

const waitFor = async (check: () => boolean, ms = 3000): Promise<void> => {
  for (const started = Date.now(); !check(); ) {
    if (Date.now() - started > ms) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('change tracking', () => {
  let tracking: ChangeTracking | undefined;
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    await tracking?.stop();
    cleanup?.();
  });

  function workspace(files: Record<string, string | Buffer>): string {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    for (const [rel, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(tmp.dir, rel)), { recursive: true });
      writeFileSync(path.join(tmp.dir, rel), content);
    }
    return tmp.dir;
  }

  it('at the end reads only files whose stat changed, and always those written near the start', async () => {
    const dir = workspace({ 'old.txt': 'aaaa\n', 'old2.txt': 'bbbb\n', 'recent.txt': 'cccc\n' });
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(path.join(dir, 'old.txt'), hourAgo, hourAgo);
    utimesSync(path.join(dir, 'old2.txt'), hourAgo, hourAgo);
    tracking = await startChangeTracking(dir);
    // Same size, new content: an ordinary write gives it a new mtime, so it is read and reported.
    writeFileSync(path.join(dir, 'old.txt'), 'AAAA\n');
    // Same size, new content, mtime put back: its stat says unchanged, as git would take it.
    const before = statSync(path.join(dir, 'old2.txt'));
    writeFileSync(path.join(dir, 'old2.txt'), 'BBBB\n');
    utimesSync(path.join(dir, 'old2.txt'), before.atime, before.mtime);
    // The same trick on a file written just before the start is still caught (its tick was racy).
    const recent = statSync(path.join(dir, 'recent.txt'));
    writeFileSync(path.join(dir, 'recent.txt'), 'CCCC\n');
    utimesSync(path.join(dir, 'recent.txt'), recent.atime, recent.mtime);
    const changes = await tracking.changes();
    expect(changes.map((c) => [c.path, c.change])).toEqual([
      ['/workspace/old.txt', 'modified'],
      ['/workspace/recent.txt', 'modified'],
    ]);
  });

  it('lists created, modified and deleted files with unified diffs, skipping ignored ones', async () => {
    const dir = workspace({
      '.gitignore': 'dist/\n*.log\n!keep.log\n',
      'src/a.ts': 'export const a = 1;\n',
      'old.txt': 'bye\n',
      'pkg/.gitignore': 'generated.ts\n',
    });
    tracking = await startChangeTracking(dir);
    writeFileSync(path.join(dir, 'src/a.ts'), 'export const a = 2;\n');
    writeFileSync(path.join(dir, 'new.txt'), 'hello\n');
    rmSync(path.join(dir, 'old.txt'));
    mkdirSync(path.join(dir, 'dist'));
    writeFileSync(path.join(dir, 'dist/bundle.js'), 'x');
    writeFileSync(path.join(dir, 'debug.log'), 'x');
    writeFileSync(path.join(dir, 'keep.log'), 'kept\n');
    writeFileSync(path.join(dir, 'pkg/generated.ts'), 'x');
    mkdirSync(path.join(dir, 'node_modules/lib'), { recursive: true });
    writeFileSync(path.join(dir, 'node_modules/lib/index.js'), 'x');
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, '.git/HEAD'), 'ref');
    const changes = await tracking.changes();
    expect(changes.map((c) => [c.path, c.change])).toEqual([
      ['/workspace/keep.log', 'created'],
      ['/workspace/new.txt', 'created'],
      ['/workspace/old.txt', 'deleted'],
      ['/workspace/src/a.ts', 'modified'],
    ]);
    const diff = (p: string) => changes.find((c) => c.path === p)!.diff;
    expect(diff('/workspace/src/a.ts')).toMatch(
      /--- a\/workspace\/src\/a\.ts\n\+\+\+ b\/workspace\/src\/a\.ts\n@@ -1,1 \+1,1 @@\n-export const a = 1;\n\+export const a = 2;/,
    );
    expect(diff('/workspace/new.txt')).toContain('+hello');
    expect(diff('/workspace/old.txt')).toContain('-bye');
  });

  it('a file changed back to its start is not a change; a binary file gets a one-line diff', async () => {
    const dir = workspace({ 'same.txt': 'one\n', 'img.bin': Buffer.from([0, 1, 2]) });
    tracking = await startChangeTracking(dir);
    writeFileSync(path.join(dir, 'same.txt'), 'two\n');
    writeFileSync(path.join(dir, 'same.txt'), 'one\n');
    writeFileSync(path.join(dir, 'img.bin'), Buffer.from([0, 9, 9, 9]));
    expect(await tracking.changes()).toEqual([
      { path: '/workspace/img.bin', change: 'modified', diff: 'Binary file /workspace/img.bin changed\n' },
    ]);
  });

  it('reports changes live as they happen, once per settled file, and not ignored ones', async () => {
    const dir = workspace({ '.gitignore': 'tmp/\n', 'a.txt': 'a\n' });
    const live: FileChange[] = [];
    tracking = await startChangeTracking(dir, { onChange: (c) => live.push(c) });
    writeFileSync(path.join(dir, 'a.txt'), 'b\n');
    writeFileSync(path.join(dir, 'b.txt'), 'new\n');
    mkdirSync(path.join(dir, 'tmp'));
    writeFileSync(path.join(dir, 'tmp/x'), 'ignored');
    await waitFor(() => live.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(live.map((c) => [c.path, c.change]).sort()).toEqual([
      ['/workspace/a.txt', 'modified'],
      ['/workspace/b.txt', 'created'],
    ]);
  });
});

describeDocker('change tracking of a container workspace', () => {
  it('sees files bash writes in the container, live and at the end', async () => {
    const fx = await openSandbox('docker');
    const live: FileChange[] = [];
    const tracking = await startChangeTracking(fx.workspace, { onChange: (c) => live.push(c) });
    try {
      const ctx = toolContext(fx.sandbox);
      await executeTool(
        'bash',
        {
          command:
            'mkdir -p src && echo made > src/made.txt && mkdir -p node_modules/x && echo 1 > node_modules/x/i.js',
        },
        ctx,
      );
      await waitFor(() => live.length >= 1);
      expect(live).toEqual([
        { path: '/workspace/src/made.txt', change: 'created', diff: expect.stringContaining('+made') },
      ]);
      expect((await tracking.changes()).map((c) => c.path)).toEqual(['/workspace/src/made.txt']);
    } finally {
      await tracking.stop();
      await fx.close();
    }
  });
});

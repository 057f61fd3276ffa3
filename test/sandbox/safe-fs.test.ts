import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startChangeTracking } from '../../src/sandbox/changes.js';
import { listDirInside, readInside, realRoot } from '../../src/sandbox/safe-fs.js';
import { walkWorkspace } from '../../src/sandbox/workspace-walk.js';
import { tempDir } from '../helpers/tmp.js';

const MARKER = 'HOST-SECRET-7d1f0c';

describe('the host-side rule (safe-fs) and change tracking over a hostile workspace', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });
  const dir = (prefix?: string) => {
    const t = tempDir(prefix);
    cleanups.push(t.cleanup);
    return t.dir;
  };
  /** A host folder outside the workspace, holding a file no record may ever show. */
  const hostSecret = () => {
    const secret = dir('runtools-host-');
    writeFileSync(path.join(secret, 'secret.txt'), `${MARKER}\n`);
    return secret;
  };

  it('readInside refuses symlinks (last or inner), FIFOs and paths leaving the root, and reads files', async () => {
    const secret = hostSecret();
    const ws = await realRoot(dir());
    writeFileSync(path.join(ws, 'ok.txt'), 'fine\n');
    symlinkSync(path.join(secret, 'secret.txt'), path.join(ws, 'link'));
    symlinkSync(secret, path.join(ws, 'dirlink'));
    execFileSync('mkfifo', [path.join(ws, 'fifo')]);
    expect((await readInside(ws, 'ok.txt')).toString()).toBe('fine\n');
    await expect(readInside(ws, 'link')).rejects.toMatchObject({ code: 'ESYMLINK' });
    await expect(readInside(ws, 'dirlink/secret.txt')).rejects.toMatchObject({ code: 'ESYMLINK' });
    await expect(readInside(ws, 'fifo')).rejects.toMatchObject({ code: 'ENOTREG' });
    await expect(readInside(ws, '../x')).rejects.toMatchObject({ code: 'EOUTSIDE' });
    await expect(readInside(ws, 'ok.txt', { maxBytes: 2 })).rejects.toMatchObject({ code: 'EFBIG' });
    expect(await listDirInside(ws, 'dirlink')).toBeNull();
  });

  it('change tracking lists symlinks as links (target as text), skips FIFOs and sockets, and reads no host byte', async () => {
    const secret = hostSecret();
    const ws = dir();
    writeFileSync(path.join(ws, 'a.txt'), 'a\n');
    const tracking = await startChangeTracking(ws, { onChange: () => {} });
    try {
      symlinkSync(path.join(secret, 'secret.txt'), path.join(ws, 'pw'));
      symlinkSync(secret, path.join(ws, 'host-folder'));
      symlinkSync('/', path.join(ws, 'root'));
      mkdirSync(path.join(ws, '.venv/bin'), { recursive: true });
      symlinkSync('/usr/bin/python3', path.join(ws, '.venv/bin/python'));
      symlinkSync('python', path.join(ws, '.venv/bin/python3'));
      symlinkSync('lib', path.join(ws, '.venv/lib64'));
      for (let i = 1; i <= 5; i++) execFileSync('mkfifo', [path.join(ws, `p${i}`)]);
      const server = net.createServer().listen(path.join(ws, 'sock'));
      await new Promise((resolve) => server.once('listening', resolve));
      cleanups.push(() => server.close());
      const changes = await tracking.changes();
      expect(JSON.stringify(changes)).not.toContain(MARKER);
      expect(changes.map((c) => c.path)).toEqual([
        '/workspace/.venv/bin/python',
        '/workspace/.venv/bin/python3',
        '/workspace/.venv/lib64',
        '/workspace/host-folder',
        '/workspace/pw',
        '/workspace/root',
        '/workspace',
      ]);
      const diff = (p: string) => changes.find((c) => c.path === p)!.diff;
      expect(diff('/workspace/pw')).toContain(`+${path.join(secret, 'secret.txt')}`);
      expect(diff('/workspace/.venv/bin/python')).toContain('+/usr/bin/python3');
      expect(diff('/workspace')).toMatch(
        /6 FIFO\(s\), socket\(s\) or device\(s\) were skipped \(p1, p2, p3, p4, p5, \.\.\.\)/,
      );
    } finally {
      await tracking.stop();
    }
  });

  it('caps the walk and says so', async () => {
    const ws = dir();
    mkdirSync(path.join(ws, 'many'));
    for (let i = 0; i < 300; i++) writeFileSync(path.join(ws, 'many', `f${i}`), '');
    const walk = await walkWorkspace(await realRoot(ws), { maxFiles: 100, maxEntries: 1000, maxDepth: 4 });
    expect(walk.files.length).toBe(100);
    expect(walk.capped).toBe('only the first 100 files were tracked');
    let deep = path.join(ws, 'deep');
    for (let i = 0; i < 6; i++) deep = path.join(deep, `d${i}`);
    mkdirSync(deep, { recursive: true });
    writeFileSync(path.join(deep, 'bottom.txt'), 'x');
    const deepWalk = await walkWorkspace(await realRoot(ws), {
      maxFiles: 1000,
      maxEntries: 1000,
      maxDepth: 4,
    });
    expect(deepWalk.capped).toMatch(/folders deeper than 4 levels were not looked into/);
    const tracking = await startChangeTracking(ws, { caps: { maxFiles: 50, maxEntries: 1000, maxDepth: 8 } });
    try {
      const changes = await tracking.changes();
      expect(changes.at(-1)).toMatchObject({
        path: '/workspace',
        diff: expect.stringContaining('only the first 50 files were tracked'),
      });
    } finally {
      await tracking.stop();
    }
  });

  it('a folder replaced by rename while it is listed is listed from its new self, never reported missing', async () => {
    const ws = await realRoot(dir());
    mkdirSync(path.join(ws, 'd'));
    // What a warm container's adoption does to a run's empty workspace folder, as fast as it can.
    const swapper: ChildProcess = spawn(
      process.execPath,
      [
        '-e',
        // A swap every 10 ms: a retry after a swap meets the new folder, as after an adoption.
        `const fs = require('node:fs'); const pause = new Int32Array(new SharedArrayBuffer(4)); process.chdir(process.argv[1]); for (;;) { fs.mkdirSync('n'); fs.renameSync('n', 'd'); Atomics.wait(pause, 0, 0, 10); }`,
        ws,
      ],
      { stdio: 'ignore', detached: true },
    );
    const swapperGone = new Promise((resolve) => swapper.once('exit', resolve));
    try {
      const first = statSync(path.join(ws, 'd')).ino;
      await vi.waitUntil(() => statSync(path.join(ws, 'd')).ino !== first, { timeout: 30_000, interval: 10 });
      const missing: number[] = [];
      for (let i = 0; i < 300; i++) if ((await listDirInside(ws, 'd')) === null) missing.push(i);
      expect(missing).toEqual([]);
    } finally {
      process.kill(-swapper.pid!, 'SIGKILL');
      await swapperGone;
    }
  });

  it('a folder swapped for a symlink to the host during the walks never leads there', async () => {
    const secret = hostSecret();
    const ws = dir();
    mkdirSync(path.join(ws, 'd'));
    writeFileSync(path.join(ws, 'd', 'secret.txt'), 'harmless\n');
    writeFileSync(path.join(ws, 'f'), 'plain\n');
    const tracking = await startChangeTracking(ws, { onChange: () => {} });
    // Another process swaps d <-> a link to the host folder, and f <-> a link to the host file, as fast as it can.
    const swapper: ChildProcess = spawn(
      'bash',
      [
        '-c',
        `cd "$1"; while :; do mv d d.real; ln -s "$2" d; rm d; mv d.real d; mv f f.real; ln -s "$2/secret.txt" f; rm f; mv f.real f; done`,
        '_',
        ws,
        secret,
      ],
      // Its own process group, so the kill below reaches the mv or ln it is running too.
      { stdio: 'ignore', detached: true },
    );
    const swapperGone = new Promise((resolve) => swapper.once('exit', resolve));
    try {
      const seen: string[] = [];
      for (let i = 0; i < 30; i++) seen.push(JSON.stringify(await tracking.changes()));
      for (let i = 0; i < 30; i++) seen.push(JSON.stringify(await walkWorkspace(await realRoot(ws))));
      for (let i = 0; i < 30; i++) {
        seen.push(await readInside(await realRoot(ws), 'd/secret.txt').then(String, (e: Error) => e.message));
      }
      expect(seen.join('\n')).not.toContain(MARKER);
    } finally {
      process.kill(-swapper.pid!, 'SIGKILL');
      await swapperGone;
      await tracking.stop();
    }
  });
});

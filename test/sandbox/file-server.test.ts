import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DockerSandboxFactory } from '../../src/sandbox/docker-factory.js';
import type { DockerSandbox } from '../../src/sandbox/docker-sandbox.js';
import { describeDocker, tempWorkspace } from '../helpers/docker.js';
import { shippedTemplates, specFor } from '../helpers/sandboxes.js';

for (const mode of ['node', 'bash'] as const) {
  describeDocker(`the file server inside the container (${mode})`, () => {
    let sandbox: DockerSandbox;
    const ws = tempWorkspace();
    const ro = tempWorkspace('runtools-ro-');
    beforeAll(async () => {
      writeFileSync(path.join(ro.dir, 'locked.txt'), 'read only\n');
      const factory = new DockerSandboxFactory({
        templates: shippedTemplates(),
        fileServer: { forceBash: mode === 'bash', timeoutMs: 10_000 },
      });
      sandbox = (await factory.create(
        specFor(ws.dir, {
          runId: `test-fs-${mode}-${path.basename(ws.dir)}`,
          mounts: [
            { hostPath: ws.dir, containerPath: '/workspace', readOnly: false },
            { hostPath: ro.dir, containerPath: '/ro', readOnly: true },
          ],
        }),
      )) as DockerSandbox;
    });
    afterAll(async () => {
      await sandbox?.dispose();
      ws.cleanup();
      ro.cleanup();
    });

    it('runs the expected server', async () => {
      expect(await sandbox.files.mode()).toBe(mode);
    });

    it('writes, reads, stats and lists files, binary and odd names included', async () => {
      const bytes = Buffer.from([0, 1, 2, 255, 10, 9, 0]);
      await sandbox.writeFile('/workspace/dir/sub/bin.dat', bytes);
      await sandbox.writeFile('/workspace/dir/a name\twith tab.txt', 'hello\n');
      await sandbox.writeFile('/workspace/dir/empty.txt', '');
      expect(readFileSync(path.join(ws.dir, 'dir/sub/bin.dat'))).toEqual(bytes);
      expect(await sandbox.readFile('/workspace/dir/sub/bin.dat')).toEqual(bytes);
      expect((await sandbox.readFile('dir/a name\twith tab.txt')).toString()).toBe('hello\n');
      expect((await sandbox.readFile('/workspace/dir/empty.txt')).length).toBe(0);
      expect(await sandbox.stat('/workspace/dir/sub/bin.dat')).toMatchObject({
        name: 'bin.dat',
        path: '/workspace/dir/sub/bin.dat',
        type: 'file',
        size: 7,
      });
      expect(await sandbox.stat('/workspace/nope')).toBeNull();
      const listed = await sandbox.list('/workspace/dir');
      expect(listed.map((e) => [e.name, e.type])).toEqual([
        ['a name\twith tab.txt', 'file'],
        ['empty.txt', 'file'],
        ['sub', 'directory'],
      ]);
      const big = Buffer.alloc(3 * 1024 * 1024, 'x');
      await sandbox.writeFile('/workspace/big.txt', big);
      expect((await sandbox.readFile('/workspace/big.txt')).equals(big)).toBe(true);
    });

    it('sees symlinks as the container does: listed as links, followed only inside it', async () => {
      symlinkSync('/etc/hostname', path.join(ws.dir, 'host-link'));
      symlinkSync('dir', path.join(ws.dir, 'dir-link'));
      expect(await sandbox.stat('/workspace/host-link')).toMatchObject({ type: 'symlink' });
      expect(await sandbox.realpath('/workspace/dir-link/empty.txt')).toBe('/workspace/dir/empty.txt');
      expect(await sandbox.realpath('/workspace/missing/x')).toBe('/workspace/missing/x');
      // A dangling link resolves to where it points, as `realpath -m` says.
      expect(await sandbox.realpath('/workspace/host-link')).toBe('/etc/hostname');
      symlinkSync('/nowhere/at/all', path.join(ws.dir, 'dangling'));
      expect(await sandbox.realpath('/workspace/dangling')).toBe('/nowhere/at/all');
      // The container's /etc/hostname, never the host's.
      const containerHostname = (await sandbox.exec('cat /etc/hostname')).stdout;
      expect((await sandbox.readFile('/workspace/host-link')).toString()).toBe(containerHostname);
    });

    it('refuses a FIFO at once instead of blocking on it', async () => {
      execFileSync('mkfifo', [path.join(ws.dir, 'pipe')]);
      await expect(sandbox.readFile('/workspace/pipe')).rejects.toMatchObject({ code: 'ENOTREG' });
      await expect(sandbox.writeFile('/workspace/pipe', 'x')).rejects.toMatchObject({ code: 'ENOTREG' });
      expect(await sandbox.stat('/workspace/pipe')).toMatchObject({ type: 'other' });
      expect((await sandbox.readFile('/workspace/dir/a name\twith tab.txt')).toString()).toBe('hello\n');
    });

    it('refuses writes to a read-only mount with a clear error, and the host file stays', async () => {
      await expect(sandbox.writeFile('/ro/locked.txt', 'changed')).rejects.toThrow(
        /read-only mount \/ro: this run may read it but not change it/,
      );
      expect((await sandbox.readFile('/ro/locked.txt')).toString()).toBe('read only\n');
      expect(readFileSync(path.join(ro.dir, 'locked.txt'), 'utf8')).toBe('read only\n');
    });

    it('gives errors with codes for missing files and folders', async () => {
      await expect(sandbox.readFile('/workspace/none.txt')).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(sandbox.readFile('/workspace/dir')).rejects.toMatchObject({ code: 'EISDIR' });
      mkdirSync(path.join(ws.dir, 'made-on-host'));
      expect(await sandbox.list('/workspace/made-on-host')).toEqual([]);
    });

    it('comes back when the agent kills it', async () => {
      const killed = await sandbox.exec(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell snippet, not a template
        'for f in /proc/[0-9]*/cmdline; do p=${f#/proc/}; p=${p%/cmdline}; [ "$p" != $$ ] && grep -qa "runtools-fs 1" "$f" && kill -KILL "$p" && echo killed; done; true',
      );
      expect(killed.stdout).toContain('killed');
      expect((await sandbox.readFile('/workspace/dir/a name\twith tab.txt')).toString()).toBe('hello\n');
    });
  });
}

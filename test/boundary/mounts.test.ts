import {
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeDocker } from '../helpers/docker.js';
import { type Harness, startHarness } from '../helpers/transports.js';
import { expectOtherRunCompletes, expectServerAnswers, startHostileRun } from './helpers.js';

const isRoot = process.getuid?.() === 0;

/** Every entry under `dir` with its owner. */
function owners(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (rel: string) => {
    const stats = lstatSync(path.join(dir, rel));
    out[rel || '.'] = `${stats.uid}:${stats.gid}`;
    if (stats.isDirectory())
      for (const name of readdirSync(path.join(dir, rel))) visit(rel ? `${rel}/${name}` : name);
  };
  visit('');
  return out;
}

describeDocker('the boundary: mounts and owners', () => {
  let h: Harness;
  let host: string;
  beforeEach(async () => {
    h = await startHarness('http');
    host = mkdtempSync(path.join(tmpdir(), 'runtools-mount-'));
  });
  afterEach(async () => {
    await h.close();
    rmSync(host, { recursive: true, force: true });
  });

  it('a read-only mount refuses edit_file with a clear error; the host file is unchanged', async () => {
    writeFileSync(path.join(host, 'x.txt'), 'original\n');
    await h.rt.workspaces.create({ id: 'ro-libs', path: host });
    const hostile = await startHostileRun(
      h,
      'ro',
      [
        {
          toolCalls: [
            { name: 'edit_file', input: { path: '/ro/x.txt', old_string: 'original', new_string: 'hacked' } },
          ],
        },
        {
          toolCalls: [
            { name: 'edit_file', input: { path: '/ro/new.txt', old_string: '', new_string: 'planted' } },
            { name: 'bash', input: { command: 'echo hacked > /ro/x.txt' } },
          ],
        },
        { text: 'done' },
      ],
      { mounts: [{ workspaceId: 'ro-libs', path: '/ro', readOnly: true }] },
    );
    await expectServerAnswers(h);
    const result = await hostile.finish();
    expect(result.status).toBe('completed');
    const [edit, create, bash] = result.toolCalls;
    expect(edit).toMatchObject({ isError: true });
    expect(edit!.output).toMatch(
      /\/ro\/x\.txt is on a read-only mount of this run; it can be read but not changed/,
    );
    expect(create!.output).toMatch(/\/ro\/new\.txt is on a read-only mount/);
    expect(bash!.output).toMatch(/Read-only file system/);
    expect(readFileSync(path.join(host, 'x.txt'), 'utf8')).toBe('original\n');
    expect(readdirSync(host)).toEqual(['x.txt']);
    expect(result.events.some((e) => e.type === 'file_edit' && e.path.startsWith('/ro'))).toBe(false);
  }, 300_000);

  it('no host file changes owner: the container runs as the workspace owner and writes as it', async () => {
    mkdirSync(path.join(host, 'sub'));
    writeFileSync(path.join(host, 'a.txt'), 'a\n');
    writeFileSync(path.join(host, 'sub', 'b.txt'), 'b\n');
    if (isRoot) {
      // A user's folder (with one file of another user in it), as `sudo runtools dev` would see it.
      chownSync(host, 4242, 4242);
      chownSync(path.join(host, 'a.txt'), 4242, 4242);
      chownSync(path.join(host, 'sub'), 4242, 4242);
      chownSync(path.join(host, 'sub', 'b.txt'), 4343, 4343);
    }
    const before = owners(host);
    await h.rt.workspaces.create({ id: 'owned', path: host });
    const hostile = await startHostileRun(
      h,
      'owners',
      [
        { toolCalls: [{ name: 'bash', input: { command: 'id -u; echo new > created.txt; cat a.txt' } }] },
        { toolCalls: [{ name: 'edit_file', input: { path: 'a.txt', old_string: 'a', new_string: 'A' } }] },
        { text: 'done' },
      ],
      { mounts: [{ workspaceId: 'owned', path: '/workspace' }] },
    );
    await expectServerAnswers(h);
    const result = await hostile.finish();
    expect(result.status).toBe('completed');
    const owner = lstatSync(host);
    expect(result.toolCalls[0]!.output).toMatch(new RegExp(`^${owner.uid}\\n`));
    const after = owners(host);
    expect(after['created.txt']).toBe(`${owner.uid}:${owner.gid}`);
    delete after['created.txt'];
    expect(after).toEqual(before);
    expect(readFileSync(path.join(host, 'a.txt'), 'utf8')).toBe('A\n');
    await expectOtherRunCompletes(h);
  }, 300_000);
});

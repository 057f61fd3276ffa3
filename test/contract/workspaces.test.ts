import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectApiError } from '../helpers/errors.js';
import { type Harness, startHarness, TRANSPORTS } from '../helpers/transports.js';

describe.each(TRANSPORTS)('workspaces and templates over %s', (transport) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(transport);
  });
  afterEach(() => h.close());

  it('binds an existing directory, or makes a managed one under the data dir', async () => {
    const dir = path.join(h.projectDir, 'libs');
    mkdirSync(dir);
    expect(await h.rt.workspaces.create({ id: 'shared-libs', path: dir })).toMatchObject({
      id: 'shared-libs',
      path: dir,
      managed: false,
    });
    const managed = await h.rt.workspaces.create({ id: 'scratch' });
    expect(managed).toMatchObject({ managed: true, path: path.join(h.dataDir, 'workspaces', 'scratch') });
    expect(existsSync(managed.path)).toBe(true);
    expect((await h.rt.workspaces.list()).map((w) => w.id)).toEqual(['scratch', 'shared-libs']);
    await h.rt.workspaces.delete('scratch');
    await expectApiError(h.rt.workspaces.get('scratch'), 404, /workspace "scratch" not found/);
    await expectApiError(
      h.rt.workspaces.create({ id: 'x', path: path.join(dir, 'missing') }),
      400,
      /is not an existing directory/,
    );
  });

  it('lists the shipped templates', async () => {
    const slugs = (await h.rt.templates.list()).map((t) => t.slug);
    expect(slugs).toEqual(expect.arrayContaining(['base', 'nodejs-20', 'python-3.12']));
  });
});

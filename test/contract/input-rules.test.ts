import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectApiError } from '../helpers/errors.js';
import { deploy } from '../helpers/runs.js';
import { type Harness, startHarness, TRANSPORTS } from '../helpers/transports.js';

describe.each(TRANSPORTS)('what a workspace, a mount and limits may be, over %s', (transport) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(transport);
  });
  afterEach(() => h.close());

  it.each([
    ['/', /is a system folder/],
    ['/etc', /is the system folder \/etc/],
    ['/usr/lib', /is inside the system folder \/usr/],
    ['/proc', /system folder \/proc/],
    ['/var', /is a system folder/],
    ['/root', /is a system folder/],
  ])('refuses the host path %s as a workspace, with the reason', async (dir, reason) => {
    const error = await expectApiError(h.rt.workspaces.create({ id: 'evil', path: dir }), 400, reason);
    expect(error.message).toMatch(/^invalid workspace: path:/);
    await expectApiError(h.rt.workspaces.get('evil'), 404, /not found/);
  });

  it('refuses a relative path that climbs to /, a symlink to /etc, and the data dir', async () => {
    const depth = h.projectDir.split('/').length;
    await expectApiError(
      h.rt.workspaces.create({ id: 'up', path: `${h.projectDir}/${'../'.repeat(depth)}` }),
      400,
      /is a system folder/,
    );
    const link = path.join(h.projectDir, 'etc-link');
    symlinkSync('/etc', link);
    await expectApiError(
      h.rt.workspaces.create({ id: 'link', path: link }),
      400,
      /etc-link" \(really \/etc\) is the system folder \/etc/,
    );
    mkdirSync(h.dataDir, { recursive: true });
    await expectApiError(h.rt.workspaces.create({ id: 'data', path: h.dataDir }), 400, /runtools' data dir/);
    const fine = path.join(h.projectDir, 'libs');
    mkdirSync(fine);
    expect(await h.rt.workspaces.create({ id: 'libs', path: fine })).toMatchObject({ path: fine });
  });

  it.each(['/', '/proc', '/proc/self', '/sys', '/dev', '/dev/shm'])(
    'refuses a mount at %s on a deployment and on a run',
    async (mountPath) => {
      await deploy(h, 'bot', [{ text: 'never runs' }]);
      await expectApiError(
        h.rt.deployments.create({
          apiSlug: 'bad',
          runtimeSlug: 'bot',
          templateSlug: 'base',
          mounts: [{ workspaceId: 'libs', path: mountPath }],
        }),
        400,
        /mount path ".*": a mount cannot (replace "\/"|go under \/(proc|sys|dev))/,
      );
      await expectApiError(
        h.rt.agents.run('bot', { message: 'hi', mounts: [{ workspaceId: 'libs', path: mountPath }] }),
        400,
        /mount path ".*": a mount cannot/,
      );
      expect((await h.api.runs.list({})).data).toEqual([]);
    },
  );

  it('bounds limits from above, naming the field', async () => {
    await deploy(h, 'bot', [{ text: 'never runs' }]);
    await expectApiError(
      h.rt.deployments.create({
        apiSlug: 'huge',
        runtimeSlug: 'bot',
        templateSlug: 'base',
        limits: { memoryMb: 1e15 },
      }),
      400,
      /limits\.memoryMb is at most 262144/,
    );
    await expectApiError(
      h.rt.deployments.create({
        apiSlug: 'forky',
        runtimeSlug: 'bot',
        templateSlug: 'base',
        limits: { pids: 1e9 },
      }),
      400,
      /limits\.pids is at most 65536/,
    );
  });

  it('a cursor that is not a run id is a 400 naming cursor', async () => {
    await expectApiError(h.api.runs.list({ cursor: "x' OR 1=1 --" }), 400, /cursor/);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectApiError } from '../helpers/errors.js';
import { type Harness, startHarness, TRANSPORTS } from '../helpers/transports.js';

describe.each(TRANSPORTS)('deployments over %s', (transport) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(transport, { env: { GITHUB_TOKEN: 'ghp_x', DATABASE_URL: 'postgres://x' } });
    await h.rt.runtimes.create({ slug: 'code-assistant', model: 'claude-opus-4-5', tools: ['bash'] });
  });
  afterEach(() => h.close());

  const full = {
    runtimeSlug: 'code-assistant',
    templateSlug: 'nodejs-20',
    apiSlug: 'my-code-bot',
    mounts: [{ workspaceId: 'shared-libs', path: '/libs' }],
    webhookUrl: 'https://myapp.com/webhook',
    webhookEvents: ['run.completed', 'run.failed'] as ('run.completed' | 'run.failed')[],
    maxConcurrent: 10,
    timeout: 300,
    secrets: ['GITHUB_TOKEN', 'DATABASE_URL'],
  };

  it('creates a deployment exactly as the docs show, with its local apiEndpoint', async () => {
    const deployment = await h.rt.deployments.create(full);
    expect(deployment).toMatchObject({ ...full, network: 'bridge', sandbox: 'docker' });
    const base = h.server?.url ?? 'http://127.0.0.1:4400';
    expect(deployment.apiEndpoint).toBe(`${base}/v1/run/my-code-bot`);
    expect(JSON.stringify(deployment)).not.toContain('ghp_x');
  });

  it('fills defaults when only the three required fields are given', async () => {
    const deployment = await h.rt.deployments.create({
      runtimeSlug: 'code-assistant',
      templateSlug: 'base',
      apiSlug: 'minimal',
    });
    expect(deployment).toMatchObject({
      mounts: [],
      webhookUrl: null,
      webhookEvents: ['run.completed', 'run.failed'],
      maxConcurrent: 5,
      timeout: 600,
      secrets: [],
      limits: { memoryMb: 2048, cpus: 2, pids: 512 },
    });
  });

  it('lists, gets, updates and deletes', async () => {
    await h.rt.deployments.create(full);
    expect((await h.rt.deployments.list()).map((d) => d.apiSlug)).toEqual(['my-code-bot']);
    const deployment = await h.rt.deployments.get('my-code-bot');
    await deployment.update({ maxConcurrent: 20 });
    expect(deployment.maxConcurrent).toBe(20);
    expect((await h.rt.deployments.get('my-code-bot')).maxConcurrent).toBe(20);
    await deployment.delete();
    await expectApiError(h.rt.deployments.get('my-code-bot'), 404, /deployment "my-code-bot" not found/);
  });

  it('names the field and the fix for every bad input', async () => {
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ runtimeSlug: 'nope' }, 400, /runtimeSlug: no runtime "nope"; known runtimes: code-assistant/],
      [
        { templateSlug: 'cobol-85' },
        400,
        /templateSlug: no template "cobol-85"; known templates: .*nodejs-20/,
      ],
      [{ apiSlug: 'My Bot' }, 400, /apiSlug: use lowercase letters, digits and single dashes/],
      [{ maxConcurrent: 0 }, 400, /maxConcurrent: maxConcurrent must be at least 1/],
      [{ timeout: 0 }, 400, /timeout: timeout is in seconds and must be greater than 0/],
      [{ timeout: -5 }, 400, /timeout: timeout is in seconds/],
      [
        { webhookUrl: 'ftp://myapp.com/hook' },
        400,
        /webhookUrl: webhookUrl must be an http:\/\/ or https:\/\/ URL/,
      ],
      [
        { mounts: [{ workspaceId: 'libs', path: 'libs' }] },
        400,
        /mounts\.0\.path: mount path "libs" must be absolute/,
      ],
      [
        {
          mounts: [
            { workspaceId: 'a', path: '/x' },
            { workspaceId: 'b', path: '/x/' },
          ],
        },
        400,
        /two mounts use the path "\/x"/,
      ],
      [{ webhookEvents: ['run.exploded'] }, 400, /webhookEvents\.0: webhook events are run\.completed/],
      [{ secrets: ['NOT_SET_ANYWHERE'] }, 400, /secrets: secret NOT_SET_ANYWHERE not set; export it/],
    ];
    for (const [change, status, message] of cases) {
      await expectApiError(h.rt.deployments.create({ ...full, ...change } as never), status, message);
    }
    expect(await h.rt.deployments.list()).toEqual([]);
  });

  it('rejects a duplicate apiSlug with a 409', async () => {
    await h.rt.deployments.create(full);
    await expectApiError(h.rt.deployments.create(full), 409, /deployment "my-code-bot" already exists/);
  });

  it('validates updates the same way and keeps the old settings on failure', async () => {
    const deployment = await h.rt.deployments.create(full);
    await expectApiError(deployment.update({ maxConcurrent: 0 }), 400, /maxConcurrent must be at least 1/);
    await expectApiError(deployment.update({ runtimeSlug: 'ghost' }), 400, /no runtime "ghost"/);
    expect((await h.rt.deployments.get('my-code-bot')).maxConcurrent).toBe(10);
  });

  it('refuses to delete a runtime a deployment uses, naming the deployment', async () => {
    await h.rt.deployments.create(full);
    const runtime = await h.rt.runtimes.get('code-assistant');
    await expectApiError(
      runtime.delete(),
      409,
      /runtime "code-assistant" is used by deployment "my-code-bot"; delete it first/,
    );
  });
});

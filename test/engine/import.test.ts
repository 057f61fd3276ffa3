import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunExport } from '../../src/api/contract.js';
import { expectApiError } from '../helpers/errors.js';
import { deploy } from '../helpers/runs.js';
import { type Harness, startHarness, TRANSPORTS } from '../helpers/transports.js';

describe.each(TRANSPORTS)('importing an exported run over %s', (transport) => {
  let source: Harness;
  let target: Harness;
  beforeEach(async () => {
    [source, target] = await Promise.all([startHarness(transport), startHarness(transport)]);
  });
  afterEach(async () => {
    await Promise.all([source.close(), target.close()]);
  });

  it('stores the run with its events, and creates its runtime version and deployment when missing', async () => {
    await deploy(source, 'bot', [
      { toolCalls: [{ name: 'bash', input: { command: 'echo hi' } }] },
      { text: 'done' },
    ]);
    const ran = await source.rt.agents.run('bot', { message: 'go' });
    const detail = await source.rt.runs.get(ran.id);
    const {
      apiEndpoint: _e,
      createdAt: _c,
      updatedAt: _u,
      source: _s,
      ...deployment
    } = await source.rt.deployments.get('bot');
    const bundle: RunExport = {
      format: 'runtools.run/v1',
      exportedAt: new Date().toISOString(),
      run: detail,
      runtime: await source.api.runtimes.version('bot', detail.runtimeVersion!),
      deployment,
    };
    const imported = await target.api.runs.import(JSON.parse(JSON.stringify(bundle)));
    expect(imported).toEqual(detail);
    expect((await target.rt.runtimes.get('bot')).version).toBe(1);
    expect((await target.rt.deployments.get('bot')).templateSlug).toBe('nodejs-20');
    expect((await target.rt.runs.list({ deployment: 'bot' })).data.map((r) => r.id)).toEqual([ran.id]);
    // Version numbers are local: a run made on v3 elsewhere points at the local version with its config.
    await deploy(target, 'other', [{ text: 'x' }]);
    const elsewhere = {
      ...bundle,
      run: { ...bundle.run, id: 'run-from-prod', runtimeVersion: 3 },
      runtime: { ...bundle.runtime, version: 3, systemPrompt: 'prod prompt' },
    };
    const mapped = await target.api.runs.import(elsewhere);
    const local = await target.api.runtimes.version('bot', mapped.runtimeVersion!);
    expect(local).toMatchObject({
      systemPrompt: 'prod prompt',
      reason: 'import of run-from-prod (v3 there)',
    });
    await expectApiError(target.api.runs.import(bundle), 409, /already exists here; nothing was imported/);
    await expectApiError(
      target.api.runs.import({ format: 'zip' } as never),
      400,
      /not a runtools run export/,
    );
  });
});

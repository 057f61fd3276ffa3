import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAIN_MCP_SERVER } from '../fakes/mcp-plain-server.js';
import { describeDocker } from '../helpers/docker.js';
import { script } from '../helpers/runs.js';
import { type Harness, startHarness } from '../helpers/transports.js';
import { applyConfig, eventually } from './helpers.js';

const TOKEN = 'tok-in-sandbox-secret-9';

interface Where {
  container: boolean;
  cwd: string;
  files: string[];
  token: string | null;
  pid: number;
}

/** A config with toolset `inside` (runIn: 'sandbox') and a runtime per sandbox kind calling inside__where twice. */
function config(h: Harness, sandboxes: ('local' | 'docker')[]): string {
  const runtimes = sandboxes.map((kind) => ({
    slug: `in-${kind}`,
    model: script(h, `in-${kind}`, [
      { toolCalls: [{ name: 'inside__where', input: {} }] },
      { toolCalls: [{ name: 'inside__where', input: {} }] },
      { text: 'done' },
    ]),
    tools: ['inside'],
  }));
  const deployments = sandboxes.map((kind) => ({
    apiSlug: `in-${kind}`,
    runtimeSlug: `in-${kind}`,
    templateSlug: kind === 'docker' ? 'nodejs-20' : 'base',
    sandbox: kind,
    secrets: ['FAKE_TOKEN'],
    timeout: 600,
  }));
  return `export default {
  tools: {
    inside: { mcp: { command: 'node', args: ['-e', ${JSON.stringify(PLAIN_MCP_SERVER)}], env: { FAKE_TOKEN: { secret: 'FAKE_TOKEN' } }, runIn: 'sandbox' } },
  },
  runtimes: ${JSON.stringify(runtimes)},
  deployments: ${JSON.stringify(deployments)},
};
`;
}

const whereOf = (output: string): Where => JSON.parse(output) as Where;

describe("an MCP server with runIn: 'sandbox' (local sandbox)", { timeout: 120_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('http', { env: { ...process.env, FAKE_TOKEN: TOKEN } });
  });
  afterAll(() => h?.close());

  it("starts once per run (on the host for the local sandbox), with the deployment's secrets, and stops with the run", async () => {
    await applyConfig(h, config(h, ['local']));
    const first = await h.rt.agents.run('in-local', { message: 'where are you?' });
    expect(first.status).toBe('completed');
    const [a, b] = first.toolCalls.map((c) => c.output);
    // Secrets reach the server; what it says is redacted like the rest.
    expect(a).toContain('"token":"[secret:FAKE_TOKEN]"');
    expect(whereOf(a!).pid).toBe(whereOf(b!).pid); // one server for the run's calls
    const second = await h.rt.agents.run('in-local', { message: 'and now?' });
    expect(whereOf(second.toolCalls[0]!.output).pid).not.toBe(whereOf(a!).pid); // a new one per run
    // The first run's server is stopped once that run's sandbox is released.
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await eventually(() => !alive(whereOf(a!).pid), "the first run's MCP server to stop");
  });
});

describeDocker("an MCP server with runIn: 'sandbox' (Docker)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('http', { env: { ...process.env, FAKE_TOKEN: TOKEN } });
  });
  afterAll(() => h?.close());

  it("runs inside the run's container and sees the run's workspace", { timeout: 600_000 }, async () => {
    await applyConfig(h, config(h, ['docker']));
    const workspace = path.join(h.projectDir, 'ws');
    mkdirSync(workspace, { recursive: true });
    await h.rt.workspaces.create({ id: 'ws', path: workspace });
    writeFileSync(path.join(workspace, 'notes.md'), 'hello\n');
    const run = await h.rt.agents.run('in-docker', {
      message: 'where are you?',
      mounts: [{ workspaceId: 'ws', path: '/workspace' }],
    });
    expect(run.status).toBe('completed');
    const where = whereOf(run.toolCalls[0]!.output);
    expect(where).toMatchObject({ container: true, cwd: '/workspace', token: '[secret:FAKE_TOKEN]' });
    expect(where.files).toContain('notes.md');
  });
});

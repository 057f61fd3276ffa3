/**
 * The bash tool's round trip for `true` in Docker (issue 13) against its floor: a plain persistent
 * `docker exec -i bash` that is sent the command and an end marker, the least any persistent
 * session can cost. Interleaved, one of each per round.
 */
import Docker from 'dockerode';
import { interactiveExec } from '../src/sandbox/docker-exec.js';
import { DockerSandboxFactory } from '../src/sandbox/docker-factory.js';
import type { DockerSandbox } from '../src/sandbox/docker-sandbox.js';
import { tempWorkspace } from '../test/helpers/docker.js';
import { shippedTemplates, specFor, toolContext } from '../test/helpers/sandboxes.js';
import { executeTool } from '../tools/registry.js';
import { interleaved, median, printComparisons } from './lib.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);

export async function main(): Promise<void> {
  const docker = new Docker();
  try {
    await docker.ping();
  } catch {
    process.stdout.write('\nbash round trip: Docker does not answer; skipped\n');
    return;
  }
  const ws = tempWorkspace();
  const sandbox = (await new DockerSandboxFactory({ templates: shippedTemplates(), docker }).create(
    specFor(ws.dir, { runId: `bench-bash-${Date.now()}`, network: 'none' }),
  )) as DockerSandbox;
  const ctx = toolContext(sandbox);
  const { stream, output } = await interactiveExec(sandbox.container, ['bash', '--noprofile', '--norc'], {});
  let buffered = '';
  let waiting: (() => void) | undefined;
  output.setEncoding('utf8');
  output.on('data', (chunk: string) => {
    buffered += chunk;
    if (buffered.includes('__end__\n')) {
      buffered = '';
      waiting?.();
    }
  });
  const floor = () =>
    new Promise<undefined>((resolve) => {
      waiting = () => resolve(undefined);
      stream.write('true; echo __end__\n');
    });
  try {
    await executeTool('bash', { command: 'true' }, ctx);
    await floor();
    const times = await interleaved(ROUNDS, {
      tool: async () => {
        await executeTool('bash', { command: 'true' }, ctx);
        return undefined;
      },
      floor,
    });
    printComparisons(`bash round trip in Docker (${ROUNDS} interleaved rounds)`, [
      {
        what: 'bash tool round trip ("true")',
        value: median(times.tool),
        against: 'persistent docker exec -i bash',
        base: median(times.floor),
        unit: 'ms',
        goal: '≤ 3×',
      },
    ]);
  } finally {
    stream.end();
    output.destroy();
    await sandbox.dispose();
    ws.cleanup();
  }
}

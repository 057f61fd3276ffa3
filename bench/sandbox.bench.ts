/**
 * Sandbox and tool benchmarks (issue 4): the persistent bash session against a fresh exec per
 * command, read_file and edit_file round trips, container start, cached template builds, and the
 * two ways of noticing bash-made file changes (a chokidar watch against a snapshot walk).
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import type { FileChange } from '../src/api/types.js';
import { startChangeTracking } from '../src/sandbox/changes.js';
import { DockerSandboxFactory } from '../src/sandbox/docker-factory.js';
import { LocalSandbox } from '../src/sandbox/local-sandbox.js';
import { ensureImage } from '../src/sandbox/template-build.js';
import { TemplateRegistry } from '../src/sandbox/templates.js';
import type { Sandbox, SandboxSpec } from '../src/sandbox/types.js';
import { walkWorkspace } from '../src/sandbox/workspace-walk.js';
import { tempWorkspace } from '../test/helpers/docker.js';
import { executeTool } from '../tools/registry.js';
import type { ToolContext } from '../tools/types.js';
import { measure, median, printTable, type Row } from './lib.js';

const TEMPLATES = path.resolve(import.meta.dirname, '../templates');

const spec = (workspace: string, runId: string): SandboxSpec => ({
  runId,
  template: 'nodejs-20',
  mounts: [{ hostPath: workspace, containerPath: '/workspace', readOnly: false }],
  env: {},
  network: 'bridge',
  limits: { memoryMb: 512, cpus: 1, pids: 256 },
});

const context = (sandbox: Sandbox): ToolContext => ({
  runId: `bench_${Date.now()}`,
  sandbox,
  roots: ['/workspace'],
  signal: new AbortController().signal,
  emit: () => {},
  settings: { env: {} },
  state: new Map(),
});

/**
 * The floor of a persistent shell: a bare `bash` on one long-lived exec (`docker exec -i bash`),
 * sent `true; echo <marker>` and waited on, with none of the bash tool's guarantees.
 */
async function rawShell(sandbox: Sandbox): Promise<{ run(): Promise<void>; close(): void }> {
  const shell = await sandbox.openShell({ cwd: '/workspace' });
  let buffer = '';
  let waiting: (() => void) | undefined;
  shell.onOutput((chunk) => {
    buffer += chunk;
    if (waiting && buffer.includes('__floor\n')) {
      buffer = '';
      const resolve = waiting;
      waiting = undefined;
      resolve();
    }
  });
  return {
    run: () =>
      new Promise<void>((resolve) => {
        waiting = resolve;
        shell.write('true; echo __floor\n');
      }),
    close: () => shell.close(),
  };
}

async function toolRoundTrips(sandbox: Sandbox, label: string): Promise<Row[]> {
  const ctx = context(sandbox);
  await sandbox.writeFile('/workspace/bench.txt', 'line one\nvalue = 0\n');
  const floor = await rawShell(sandbox);
  // Interleaved in rounds, so a busy moment of the machine weighs on both alike.
  const tool: number[] = [];
  const bare: number[] = [];
  await executeTool('bash', { command: 'true' }, ctx);
  await floor.run();
  for (let round = 0; round < 6; round++) {
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      await executeTool('bash', { command: 'true' }, ctx);
      tool.push(performance.now() - t);
    }
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      await floor.run();
      bare.push(performance.now() - t);
    }
  }
  floor.close();
  const bashRows: Row[] = [
    { name: `${label}: bash tool "true" (persistent session, n=300)`, median: median(tool), unit: 'ms' },
    { name: `${label}: bare persistent bash "true" (the floor, n=300)`, median: median(bare), unit: 'ms' },
    {
      name: `${label}: bash tool / bare persistent bash (goal <= 3)`,
      median: median(tool) / median(bare),
      unit: 'x',
    },
  ];
  const rows = [
    bashRows[0]!,
    await measure(`${label}: sandbox.exec "true" (a fresh exec per command)`, 60, () => sandbox.exec('true')),
    await measure(`${label}: read_file round trip`, 300, () =>
      executeTool('read_file', { path: 'bench.txt' }, ctx),
    ),
    await measure(`${label}: edit_file round trip`, 300, (i) =>
      executeTool(
        'edit_file',
        { path: 'bench.txt', old_string: `value = ${i}`, new_string: `value = ${i + 1}` },
        ctx,
      ),
    ),
  ];
  // The warm-up call of measure() runs with i = -1, so the file is at "value = 0" on the first timed call.
  const ratio = rows[1]!.median / rows[0]!.median;
  rows.push({ name: `${label}: fresh exec / persistent session`, median: ratio, unit: 'x' });
  return [...rows, ...bashRows.slice(1)];
}

async function containerStarts(factory: DockerSandboxFactory): Promise<Row[]> {
  const ws = tempWorkspace();
  const creates: number[] = [];
  const firstCommand: number[] = [];
  const disposes: number[] = [];
  for (let i = 0; i < 8; i++) {
    let t = performance.now();
    const sandbox = await factory.create(spec(ws.dir, `bench-start-${i}`));
    creates.push(performance.now() - t);
    t = performance.now();
    await executeTool('bash', { command: 'echo ready' }, context(sandbox));
    firstCommand.push(performance.now() - t);
    t = performance.now();
    await sandbox.dispose();
    disposes.push(performance.now() - t);
  }
  ws.cleanup();
  return [
    {
      name: 'container start, cold (create+start+inspect, image cached, n=8)',
      median: median(creates),
      unit: 'ms',
    },
    {
      name: 'first bash call in a new container (opens the session)',
      median: median(firstCommand),
      unit: 'ms',
    },
    { name: 'container dispose (remove --force)', median: median(disposes), unit: 'ms' },
  ];
}

/** Files in the change-detection workspace: under the live watch's cap (2,000 paths), which it would stop reporting past. */
const WATCHED_DIRS = 30;

async function changeDetection(): Promise<Row[]> {
  const ws = tempWorkspace();
  const anHourAgo = new Date(Date.now() - 3_600_000);
  for (let d = 0; d < WATCHED_DIRS; d++) {
    mkdirSync(path.join(ws.dir, `dir${d}`));
    for (let f = 0; f < 50; f++) {
      const file = path.join(ws.dir, `dir${d}`, `f${f}.ts`);
      writeFileSync(file, `export const v = ${f};\n`);
      // A project's files were written before the run, not within its first seconds.
      utimesSync(file, anHourAgo, anHourAgo);
    }
  }
  const walk = await measure(
    `snapshot walk of ${WATCHED_DIRS * 50} files (what a compare after each tool call costs)`,
    20,
    () => walkWorkspace(ws.dir),
  );
  let resolveChange: ((c: FileChange) => void) | undefined;
  const t0 = performance.now();
  const tracking = await startChangeTracking(ws.dir, { onChange: (c) => resolveChange?.(c) });
  const startMs = performance.now() - t0;
  const latency = await measure(
    'chokidar: write -> live file_edit report (incl. 50 ms debounce)',
    20,
    async (i) => {
      let late: NodeJS.Timeout | undefined;
      const seen = new Promise<FileChange>((resolve, reject) => {
        resolveChange = resolve;
        // A report that never comes is a failure to print, not a bench that hangs.
        late = setTimeout(() => reject(new Error('no live file_edit report within 30 s')), 30_000);
      });
      writeFileSync(path.join(ws.dir, 'dir0', `new${i + 1}.ts`), `x ${i}\n`);
      await seen.finally(() => clearTimeout(late));
    },
  );
  const t1 = performance.now();
  await tracking.changes();
  const endMs = performance.now() - t1;
  await tracking.stop();
  ws.cleanup();
  return [
    walk,
    latency,
    {
      name: `change tracking start on ${WATCHED_DIRS * 50} files (baseline + watch)`,
      median: startMs,
      unit: 'ms',
    },
    { name: `changes() at run end on ${WATCHED_DIRS * 50} files`, median: endMs, unit: 'ms' },
  ];
}

export async function main(): Promise<void> {
  const docker = new Docker();
  const templates = new TemplateRegistry([TEMPLATES]);
  const rows: Row[] = [];
  const local = tempWorkspace();
  const localSandbox = new LocalSandbox(spec(local.dir, 'bench').mounts);
  rows.push(...(await toolRoundTrips(localSandbox, 'local')));
  // The bash tool's session is a child process: disposing the sandbox ends it (else it keeps the bench alive).
  await localSandbox.dispose();
  local.cleanup();
  rows.push(...(await changeDetection()));
  try {
    await docker.ping();
  } catch {
    printTable('sandbox (Docker unreachable: local rows only)', rows);
    return;
  }
  const factory = new DockerSandboxFactory({ templates, docker });
  rows.push(
    await measure('template build when cached (hash + image inspect)', 30, () =>
      ensureImage(docker, templates.get('nodejs-20')),
    ),
  );
  const ws = tempWorkspace();
  const sandbox = await factory.create(spec(ws.dir, 'bench-tools'));
  try {
    rows.push(...(await toolRoundTrips(sandbox, 'docker')));
  } finally {
    await sandbox.dispose();
    ws.cleanup();
  }
  rows.push(...(await containerStarts(factory)));
  printTable('sandbox and tools', rows);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

/**
 * `runtools dev` start -> its port answers (issue 13), against a bare `node` HTTP server started
 * the same way: both spawned as child processes, timed until an HTTP request is answered,
 * interleaved. Uses the compiled CLI (bin/runtools.js -> dist), so run `npm run build` first.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { tempDir } from '../test/helpers/tmp.js';
import { interleaved, median, printComparisons } from './lib.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const TRIALS = Number(process.env.BENCH_TRIALS ?? 9);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Spawns `args`, then asks the port every 5 ms; the time until the first answer, in ms. */
async function startToAnswer(args: string[], port: number, cwd: string): Promise<number> {
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, { cwd, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    while (!(await answers(port))) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return performance.now() - started;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export async function main(): Promise<void> {
  const cli = path.join(ROOT, 'bin/runtools.js');
  if (!existsSync(path.join(ROOT, 'dist/src/cli/main.js'))) throw new Error('run "npm run build" first');
  const project = tempDir('runtools-bench-dev-');
  try {
    const bare = `require('http').createServer((q, s) => s.end('ok')).listen(Number(process.argv[1]), '127.0.0.1')`;
    const times = await interleaved(TRIALS, {
      runtools: async (trial) => {
        const port = await freePort();
        const dataDir = path.join(project.dir, `data-${trial}`);
        return startToAnswer([cli, '--data-dir', dataDir, 'dev', '--port', String(port)], port, project.dir);
      },
      bare: async () => {
        const port = await freePort();
        return startToAnswer(['-e', bare, String(port)], port, project.dir);
      },
    });
    printComparisons(`runtools dev start (${TRIALS} interleaved trials, compiled CLI)`, [
      {
        what: 'runtools dev: start -> port answers',
        value: median(times.runtools),
        against: 'bare node http server',
        base: median(times.bare),
        unit: 'ms',
        goal: '≤ 250 ms',
      },
    ]);
  } finally {
    project.cleanup();
  }
}

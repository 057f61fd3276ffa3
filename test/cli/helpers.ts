import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { vi } from 'vitest';
import { stripAnsi } from '../../src/cli/render/text.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * CLI tests start real processes, several per test; on a shared 2-core machine under load one
 * start alone can take many seconds. So they get a generous budget per test (every wait inside is
 * on a condition, never a fixed sleep), and `waitFor` a generous default too.
 */
// Only under vitest: the benches import these helpers too, and vi.setConfig throws outside a test run.
if (process.env.VITEST) vi.setConfig({ testTimeout: 300_000 });
const WAIT_MS = 120_000;

export const REPO = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(REPO, 'bin/runtools.js');

/** Nothing listens on port 1: commands without --base-url fall back to an in-process engine. */
const BASE_ENV = { RUNTOOLS_BASE_URL: 'http://127.0.0.1:1', NO_COLOR: '1' };

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A project folder with a runtools.config.ts, as a user has one. */
export interface Project {
  dir: string;
  dataDir: string;
  write(rel: string, content: string): void;
  /** Runs `runtools <args>` in the project, as a user would, and waits for it to exit. */
  cli(args: string[], options?: { input?: string; env?: Record<string, string> }): Promise<CliResult>;
  /** Starts `runtools <args>` and returns the process and its output so far. */
  spawn(args: string[], options?: { env?: Record<string, string> }): Running;
  cleanup(): void;
}

export interface Running {
  proc: ChildProcess;
  /** Output so far, ANSI stripped. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the stdout match once `pattern` appears (after `from` characters). */
  waitFor(
    pattern: RegExp,
    options?: { timeoutMs?: number; from?: number; stream?: 'stdout' | 'stderr' },
  ): Promise<RegExpMatchArray>;
  exited: Promise<CliResult>;
}

export function project(files: Record<string, string>): Project {
  const tmp = tempDir('runtools-cli-');
  const dataDir = path.join(tmp.dir, '.runtools');
  const write = (rel: string, content: string) => {
    const file = path.join(tmp.dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  for (const [rel, content] of Object.entries(files)) write(rel, content);
  const spawnCli = (args: string[], options: { env?: Record<string, string> } = {}): Running =>
    start(['--data-dir', dataDir, ...args], tmp.dir, options.env);
  return {
    dir: tmp.dir,
    dataDir,
    write,
    spawn: spawnCli,
    async cli(args, options = {}) {
      const running = spawnCli(args, options);
      running.proc.stdin?.end(options.input ?? '');
      return running.exited;
    },
    cleanup: tmp.cleanup,
  };
}

function start(args: string[], cwd: string, env: Record<string, string> = {}): Running {
  const proc = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: withoutForceColor({ ...process.env, ...BASE_ENV, ...env }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  proc.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of listeners) listener();
  });
  proc.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const listener of listeners) listener();
  });
  const exited = new Promise<CliResult>((resolve) => {
    proc.on('close', (code, signal) => {
      for (const listener of listeners) listener();
      resolve({ code, signal, stdout: stripAnsi(stdout), stderr: stripAnsi(stderr) });
    });
  });
  let done = false;
  void exited.then(() => {
    done = true;
  });
  return {
    proc,
    stdout: () => stripAnsi(stdout),
    stderr: () => stripAnsi(stderr),
    exited,
    waitFor(pattern, options = {}) {
      const read = () => stripAnsi(options.stream === 'stderr' ? stderr : stdout).slice(options.from ?? 0);
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = read().match(pattern);
          if (match) {
            cleanup();
            resolve(match);
          } else if (done) {
            cleanup();
            reject(
              new Error(
                `process exited before ${pattern}; stdout:\n${stripAnsi(stdout)}\nstderr:\n${stripAnsi(stderr)}`,
              ),
            );
          }
        };
        const timer = setTimeout(
          () => {
            cleanup();
            reject(
              new Error(
                `timed out waiting for ${pattern}; stdout:\n${stripAnsi(stdout)}\nstderr:\n${stripAnsi(stderr)}`,
              ),
            );
          },
          Math.max(options.timeoutMs ?? 0, WAIT_MS),
        );
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Output is checked as plain text; vitest sets FORCE_COLOR for its own output. */
function withoutForceColor(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, ...rest } = env;
  return rest;
}

/** `runtools dev` on a free port; stops it (SIGINT, as Ctrl-C) at the end. */
export async function startDev(
  p: Project,
  extra: string[] = [],
): Promise<{ dev: Running; url: string; stop(): Promise<CliResult> }> {
  const dev = p.spawn(['dev', '--port', '0', ...extra]);
  const [, url] = (await dev.waitFor(/listening on (http:\/\/\S+)/)) as [string, string];
  await dev.waitFor(/watching the config|no runtools\.config\.ts/);
  return {
    dev,
    url,
    async stop() {
      dev.proc.kill('SIGINT');
      return dev.exited;
    },
  };
}

/** A scripted-model script file's contents. */
export const scriptJson = (turns: unknown[]): string => JSON.stringify({ turns }, null, 2);

/** A config with one runtime + deployment per entry, on the local sandbox (fast; Docker is not the point). */
export function configTs(
  entries: { slug: string; script: string; prompt?: string | { file: string }; tools?: string[] }[],
  extra = '',
): string {
  const runtimes = entries.map((e) =>
    JSON.stringify({
      slug: e.slug,
      systemPrompt: e.prompt ?? 'You are a test agent.',
      model: { provider: 'scripted', script: e.script },
      tools: e.tools ?? ['bash', 'read_file', 'edit_file', 'grep', 'glob'],
    }),
  );
  const deployments = entries.map((e) =>
    JSON.stringify({
      apiSlug: e.slug,
      runtimeSlug: e.slug,
      templateSlug: 'base',
      sandbox: 'local',
      timeout: 120,
    }),
  );
  return `import { defineConfig } from 'runtools/config';

export default defineConfig({
  sandbox: 'local',
  runtimes: [${runtimes.join(',\n    ')}],
  deployments: [${deployments.join(',\n    ')}],${extra}
});
`;
}

/** One JSON call to a running server's API with its key; a non-2xx answer throws with its body. */
export async function apiCall<T>(
  baseUrl: string,
  key: string,
  pathName: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const response = await fetch(baseUrl + pathName, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const body = (await response.json()) as T;
  if (!response.ok) throw new Error(`${pathName}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

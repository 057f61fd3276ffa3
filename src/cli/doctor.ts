import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Command } from 'commander';
import type Docker from 'dockerode';
import pc from 'picocolors';
import { withEnvFile } from '../engine/create.js';
import { imageExists } from '../sandbox/template-build.js';
import { type GlobalOptions, projectPaths } from './project-paths.js';
import { projectTemplates } from './templates.js';

/** One finding: `fail` stops runs from working, `warn` limits them. */
interface Check {
  name: string;
  level: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

const PROVIDER_KEYS: { provider: string; models: string; vars: string[] }[] = [
  { provider: 'Anthropic', models: 'claude-*', vars: ['ANTHROPIC_API_KEY'] },
  { provider: 'OpenAI', models: 'gpt-*, o*', vars: ['OPENAI_API_KEY'] },
  { provider: 'Google', models: 'gemini-*', vars: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] },
];

export function doctorCommand(global: () => GlobalOptions): Command {
  return new Command('doctor')
    .description('check this machine for what runtools needs, and say how to fix what is missing')
    .option('--port <port>', 'the port runtools dev uses', process.env.RUNTOOLS_PORT ?? '4400')
    .option('--json', 'print the checks as JSON: {ready, checks: [{name, level, detail, fix}]}')
    .action(async (options: { port: string; json?: boolean }) => {
      const { dataDir, projectDir } = projectPaths(global());
      const docker = new (await import('dockerode')).default();
      const dockerCheck = await checkDocker(docker);
      const checks = [
        checkNode(),
        checkRipgrep(),
        dockerCheck,
        ...(dockerCheck.level === 'ok' ? await checkImages(docker, projectDir) : []),
        ...checkKeys(withEnvFile(process.env, path.join(projectDir, '.env'))),
        checkDataDir(dataDir),
        await checkPort(Number(options.port)),
      ];
      const failed = checks.filter((c) => c.level === 'fail').length;
      process.exitCode = failed === 0 ? 0 : 1;
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ ready: failed === 0, checks }, null, 2)}\n`);
        return;
      }
      for (const check of checks) {
        const mark =
          check.level === 'ok' ? pc.green('✔') : check.level === 'warn' ? pc.yellow('!') : pc.red('✖');
        console.log(`${mark} ${pc.bold(check.name)}: ${check.detail}`);
        if (check.fix) console.log(`    ${pc.dim('→')} ${check.fix}`);
      }
      console.log(
        failed === 0
          ? pc.green('\nready')
          : pc.red(`\n${failed} problem${failed > 1 ? 's' : ''} to fix first`),
      );
    });
}

function checkNode(): Check {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const ok = major > 20 || (major === 20 && minor >= 19);
  return ok
    ? { name: 'Node', level: 'ok', detail: `v${process.versions.node}` }
    : {
        name: 'Node',
        level: 'fail',
        detail: `v${process.versions.node} is too old`,
        fix: 'install Node 20.19 or newer (https://nodejs.org, or "nvm install 20")',
      };
}

/** The local sandbox runs grep and glob with the host's ripgrep; the Docker templates ship their own. */
function checkRipgrep(): Check {
  const found = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  if (found.status === 0)
    return { name: 'ripgrep', level: 'ok', detail: found.stdout.split('\n')[0] ?? 'rg' };
  return {
    name: 'ripgrep',
    level: 'warn',
    detail:
      'rg not found: grep and glob will not work in the local sandbox (Docker templates ship their own)',
    fix: 'install ripgrep ("sudo apt-get install ripgrep", "brew install ripgrep"; "npx runtools setup" does it on Debian)',
  };
}

async function checkDocker(docker: Docker): Promise<Check> {
  try {
    await withTimeout(docker.ping(), 3000);
    const version = (await withTimeout(docker.version(), 3000)) as { Version?: string };
    return {
      name: 'Docker',
      level: 'ok',
      detail: `engine ${version.Version ?? ''} answers`.replace('  ', ' '),
    };
  } catch (error) {
    return {
      name: 'Docker',
      level: 'fail',
      detail: `no engine answers (${error instanceof Error ? error.message : String(error)})`,
      fix: 'start Docker (Docker Desktop, or "sudo systemctl start docker"; "npx runtools setup" installs and checks it), or set sandbox: \'local\' in runtools.config.ts to run tools on this machine without isolation',
    };
  }
}

async function checkImages(docker: Docker, projectDir: string): Promise<Check[]> {
  const templates = projectTemplates(projectDir).templates();
  const missing: string[] = [];
  for (const template of templates)
    if (!(await imageExists(docker, template.image))) missing.push(template.slug);
  if (missing.length === 0)
    return [
      {
        name: 'Templates',
        level: 'ok',
        detail: `${templates.length} images built (${templates.map((t) => t.slug).join(', ')})`,
      },
    ];
  return [
    {
      name: 'Templates',
      level: 'warn',
      detail: `not built yet: ${missing.join(', ')} (the first run on each builds it, which takes a minute or two)`,
      fix: `build them now with "runtools templates build${missing.length === 1 ? ` ${missing[0]}` : ''}"`,
    },
  ];
}

function checkKeys(env: NodeJS.ProcessEnv): Check[] {
  return PROVIDER_KEYS.map(({ provider, models, vars }): Check => {
    const set = vars.find((name) => env[name]?.trim());
    return set
      ? { name: `${provider} key`, level: 'ok', detail: `${set} is set` }
      : {
          name: `${provider} key`,
          level: 'warn',
          detail: `${vars.join(' or ')} not set: runtimes on ${models} models cannot run (the scripted demo needs no key)`,
          fix: `export ${vars[0]}=... in the shell that starts "runtools dev", or add it to .env beside runtools.config.ts`,
        };
  });
}

function checkDataDir(dataDir: string): Check {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
    const probe = path.join(dataDir, `.doctor-${process.pid}`);
    writeFileSync(probe, 'ok');
    rmSync(probe);
    return { name: 'Data dir', level: 'ok', detail: `${dataDir} is writable` };
  } catch (error) {
    return {
      name: 'Data dir',
      level: 'fail',
      detail: `${dataDir} is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      fix: 'fix its permissions, or choose another with --data-dir or RUNTOOLS_DATA_DIR',
    };
  }
}

async function checkPort(port: number): Promise<Check> {
  const name = `Port ${port}`;
  try {
    const response = await fetch(`http://127.0.0.1:${port}/v1/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await response.json().catch(() => undefined)) as { ok?: boolean } | undefined;
    if (response.ok && body?.ok === true)
      return { name, level: 'ok', detail: 'a runtools server is running on it' };
    return takenBy(name, port, 'another HTTP server');
  } catch {
    // Nothing answered HTTP: find out whether the port is free.
  }
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  return free
    ? { name, level: 'ok', detail: 'free for runtools dev' }
    : takenBy(name, port, 'another program');
}

const takenBy = (name: string, port: number, what: string): Check => ({
  name,
  level: 'fail',
  detail: `taken by ${what}`,
  fix: `stop it, or start runtools on another port: runtools dev --port ${port + 1} (and RUNTOOLS_BASE_URL=http://127.0.0.1:${port + 1} for clients)`,
});

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms).unref(),
    ),
  ]);
}

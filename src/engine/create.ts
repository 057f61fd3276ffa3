import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { packageRoot, resolveDataDir } from '../config/paths.js';
import { TemplateRegistry } from '../sandbox/templates.js';
import type { WarmPoolLimits } from '../sandbox/warm-pool.js';
import { openStore } from '../store/store.js';
import { Engine, type EngineOptions } from './engine.js';
import { acquireDataDirLock } from './lock.js';
import { type RealPartsOptions, realParts } from './real-parts.js';

export interface LocalEngineOptions {
  dataDir?: string;
  projectDir?: string;
  env?: Record<string, string | undefined>;
  baseUrl?: string;
  defaultSandbox?: 'docker' | 'local';
  /** Hooks for the real parts (template build progress, the local sandbox warning). */
  parts?: Pick<RealPartsOptions, 'onBuildProgress' | 'warn' | 'live'>;
  /** Warm Docker containers kept ready for runs (`runtools dev` keeps one per kind); off when absent. */
  warm?: Partial<WarmPoolLimits>;
  overrides?: Partial<EngineOptions>;
}

/** An Engine with the real parts (store, templates, sandboxes, models) for this machine. */
export async function createLocalEngine(options: LocalEngineOptions = {}): Promise<Engine> {
  const projectDir = path.resolve(options.projectDir ?? process.cwd());
  const envFile = path.join(projectDir, '.env');
  // Provider keys (and the other settings read from the env) may live in .env beside the config;
  // the process environment wins. Values are only handed to the parts that use them.
  const env = withEnvFile(options.env ?? process.env, envFile);
  const dataDir = resolveDataDir({ flag: options.dataDir, env, projectDir });
  const lock = acquireDataDirLock(dataDir);
  const store = openStore(dataDir);
  const shipped = path.join(packageRoot(), 'templates');
  const projectTemplates = path.join(projectDir, 'templates');
  const templates = new TemplateRegistry(
    projectTemplates === shipped ? [shipped] : [projectTemplates, shipped],
  );
  const parts = realParts({
    templates,
    store,
    env,
    projectDir,
    recordDir: path.join(dataDir, 'recordings'),
    ...options.parts,
    ...(options.warm ? { warm: { ...options.warm, owner: dataDirOwner(dataDir) } } : {}),
  });
  const engine = new Engine({
    store,
    lock,
    dataDir,
    projectDir,
    env,
    envFile,
    templates,
    parts,
    baseUrl: options.baseUrl,
    defaultSandbox: options.defaultSandbox,
    ...options.overrides,
  });
  await engine.recover();
  return engine;
}

/** The environment with a .env file's values filled in where the environment has none (or an empty one). */
export function withEnvFile(
  env: Record<string, string | undefined>,
  file: string,
): Record<string, string | undefined> {
  const merged = { ...env };
  for (const [name, value] of Object.entries(readEnvFile(file)))
    if (merged[name] === undefined || merged[name] === '') merged[name] = value;
  return merged;
}

/** KEY=value lines of a .env file; none when there is no file. */
export function readEnvFile(file: string): Record<string, string> {
  return existsSync(file) ? (parseEnv(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

/** A short stable name of a data dir, for labels on what its server leaves in Docker. */
function dataDirOwner(dataDir: string): string {
  return createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
}

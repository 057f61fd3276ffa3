import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { TemplateData } from '../api/types.js';
import { packageRoot, resolveDataDir } from '../config/paths.js';
import { openStore } from '../store/store.js';
import { Engine, type EngineOptions } from './engine.js';
import { acquireDataDirLock } from './lock.js';

export interface LocalEngineOptions {
  dataDir?: string;
  projectDir?: string;
  env?: Record<string, string | undefined>;
  baseUrl?: string;
  defaultSandbox?: 'docker' | 'local';
  overrides?: Partial<EngineOptions>;
}

/** An Engine with the real parts (store, templates, sandboxes, models) for this machine. */
export async function createLocalEngine(options: LocalEngineOptions = {}): Promise<Engine> {
  const env = options.env ?? process.env;
  const projectDir = path.resolve(options.projectDir ?? process.cwd());
  const dataDir = resolveDataDir({ flag: options.dataDir, env, projectDir });
  const lock = acquireDataDirLock(dataDir);
  const store = openStore(dataDir);
  const engine = new Engine({
    store,
    lock,
    dataDir,
    projectDir,
    env,
    envFile: path.join(projectDir, '.env'),
    templates: folderTemplates([path.join(projectDir, 'templates'), path.join(packageRoot(), 'templates')]),
    baseUrl: options.baseUrl,
    defaultSandbox: options.defaultSandbox,
    ...options.overrides,
  });
  await engine.recover();
  return engine;
}

function folderTemplates(dirs: string[]): { list(): TemplateData[] } {
  return {
    list() {
      const seen = new Map<string, TemplateData>();
      for (const [index, dir] of dirs.entries()) {
        let names: string[] = [];
        try {
          names = readdirSync(dir);
        } catch {
          continue;
        }
        for (const slug of names) {
          if (seen.has(slug)) continue;
          seen.set(slug, {
            slug,
            description: '',
            workdir: '/workspace',
            ports: [],
            source: index === 0 ? 'project' : 'builtin',
            image: '',
            built: false,
          });
        }
      }
      return [...seen.values()];
    },
  };
}

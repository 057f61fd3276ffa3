import { existsSync } from 'node:fs';
import path from 'node:path';
import { resolveDataDir } from '../config/paths.js';

// Apart from context.ts (which imports the engine) so `runtools dev` can find its paths and open
// its port before the engine's modules load.

/** The options every command shares. */
export interface GlobalOptions {
  config?: string;
  dataDir?: string;
  baseUrl?: string;
}

export const CONFIG_FILE = 'runtools.config.ts';

/** Where the project is: the config file's folder, else the current directory. */
export function projectPaths(options: GlobalOptions): {
  projectDir: string;
  configPath: string | undefined;
  dataDir: string;
} {
  const configPath = options.config
    ? path.resolve(options.config)
    : existsSync(path.resolve(CONFIG_FILE))
      ? path.resolve(CONFIG_FILE)
      : undefined;
  const projectDir = configPath ? path.dirname(configPath) : process.cwd();
  return {
    projectDir,
    configPath,
    dataDir: resolveDataDir({ flag: options.dataDir, env: process.env, projectDir }),
  };
}

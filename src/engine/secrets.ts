import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/** Where secret values come from: the server's environment first, then a `.env` file. */
export interface SecretSource {
  get(name: string): string | undefined;
  missing(names: string[]): string[];
}

/** Reads `.env` once at start; the environment wins so a shell export overrides the file. */
export function createSecretSource(env: Record<string, string | undefined>, envFile?: string): SecretSource {
  const fromFile = envFile && existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  const get = (name: string) => env[name] ?? fromFile[name];
  return {
    get,
    missing: (names) => names.filter((name) => get(name) === undefined),
  };
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';

export const KEY_FILE = 'api-key';

export interface ApiKey {
  value: string;
  /** Where it came from: the environment, or the file in the data dir. */
  source: 'env' | string;
}

/**
 * `RUNTOOLS_API_KEY` when set; otherwise the key kept in the data dir, generated (mode 0600) on
 * first start so the CLI and the SDK on this machine can pick it up.
 */
export function loadOrCreateKey(dataDir: string, env: Record<string, string | undefined>): ApiKey {
  const fromEnv = env.RUNTOOLS_API_KEY?.trim();
  if (fromEnv) return { value: fromEnv, source: 'env' };
  const file = path.join(dataDir, KEY_FILE);
  if (existsSync(file)) {
    const value = readFileSync(file, 'utf8').trim();
    if (value) return { value, source: file };
  }
  mkdirSync(dataDir, { recursive: true });
  const value = `rt_local_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { value, source: file };
}

/** Reads the key a local client should use, without creating one. */
export function readKey(dataDir: string): string | undefined {
  const file = path.join(dataDir, KEY_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

export function isAuthorized(req: IncomingMessage, key: string): boolean {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) return false;
  const given = Buffer.from(match[1]!.trim());
  const expected = Buffer.from(key);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/**
 * True when the Host header names this machine's loopback. A page on another origin that rebinds
 * its DNS name to 127.0.0.1 still sends its own name as Host, so it is refused here.
 */
export function isLoopbackHost(hostHeader: string | undefined, extraHosts: readonly string[] = []): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.startsWith('[')
    ? hostHeader.slice(0, hostHeader.indexOf(']') + 1)
    : hostHeader.split(':')[0]!;
  const name = host.toLowerCase();
  return (
    LOOPBACK_NAMES.has(name) ||
    name.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(name) ||
    extraHosts.includes(name)
  );
}

import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

/**
 * The headers every response carries. The studio is built to need nothing else: its script and
 * styles are files from this server (no inline script, no CDN), and no other site may frame it.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Where `npm run build` puts the studio: `dist/studio` of the package. This module runs from
 * `src/server` (tests, tsx) or `dist/src/server` (the built CLI), so look upward for it.
 */
export function defaultStudioDir(): string | undefined {
  let dir = import.meta.dirname;
  for (let i = 0; i < 4; i++) {
    const candidate = path.join(dir, 'dist', 'studio');
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
    if (path.basename(dir) === 'dist' && existsSync(path.join(dir, 'studio', 'index.html')))
      return path.join(dir, 'studio');
    dir = path.dirname(dir);
  }
  return undefined;
}

/**
 * Serves the built studio: `/` is its index.html, `/assets/...` its hashed files. Only names inside
 * `root` are served (no `..`, no dotfiles); returns false when there is no such file.
 */
export async function serveStatic(root: string, pathname: string, res: ServerResponse): Promise<boolean> {
  const rel = pathname === '/' ? 'index.html' : pathname.slice(1);
  const parts = rel.split('/');
  if (parts.some((part) => part === '' || part === '..' || part.startsWith('.'))) return false;
  const file = path.join(root, ...parts);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return false;
  const body = await readFile(file);
  const hashed = parts[0] === 'assets';
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    // Asset names carry a content hash; index.html must be fetched again to find new ones.
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  res.end(body);
  return true;
}

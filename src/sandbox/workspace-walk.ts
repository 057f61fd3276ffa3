import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { IgnoreRules } from './gitignore.js';

export interface WorkspaceFile {
  /** Relative to the root, `/`-separated. */
  rel: string;
  size: number;
  mtimeMs: number;
}

/** Never tracked, whatever .gitignore says. */
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);

/**
 * Every file under `root` that git would not ignore, plus the ignore test itself (the watcher
 * uses it). Symlinks count as files (their own entry), and are not followed.
 */
export async function walkWorkspace(
  root: string,
): Promise<{ files: WorkspaceFile[]; ignored: (rel: string, isDir?: boolean) => boolean }> {
  const rules = new IgnoreRules();
  const files: WorkspaceFile[] = [];
  const skippedDirs = new Set<string>();
  const visit = async (dirRel: string): Promise<void> => {
    const dir = path.join(root, dirRel);
    try {
      rules.add(dirRel, await readFile(path.join(dir, '.gitignore'), 'utf8'));
    } catch {
      // No .gitignore here.
    }
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
      const isDir = entry.isDirectory();
      if (ALWAYS_SKIPPED.has(entry.name) || rules.ignores(rel, isDir)) {
        if (isDir) skippedDirs.add(rel);
        continue;
      }
      if (isDir) await visit(rel);
      else {
        const stats = await lstat(path.join(root, rel)).catch(() => null);
        if (stats) files.push({ rel, size: stats.size, mtimeMs: stats.mtimeMs });
      }
    }
  };
  await visit('');
  const ignored = (relNative: string, _isDir?: boolean): boolean => {
    const rel = relNative.split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) return false;
    const parts = rel.split('/');
    if (parts.some((p) => ALWAYS_SKIPPED.has(p))) return true;
    for (let i = 1; i < parts.length; i++) if (skippedDirs.has(parts.slice(0, i).join('/'))) return true;
    // A path the watcher asks about may be a file or a folder; ignored as either is enough.
    return rules.ignores(rel, false) || (rules.ignores(rel, true) && !parts.at(-1)?.includes('.'));
  };
  return { files, ignored };
}

/** One file's entry now, or undefined when it is gone (or is a folder). */
walkWorkspace.statOne = async (root: string, rel: string): Promise<WorkspaceFile | undefined> => {
  const stats = await lstat(path.join(root, rel)).catch(() => null);
  if (!stats || stats.isDirectory()) return undefined;
  return { rel, size: stats.size, mtimeMs: stats.mtimeMs };
};

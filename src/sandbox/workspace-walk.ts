import path from 'node:path';
import { IgnoreRules } from './gitignore.js';
import { listDirInside, lstatInside, readInside } from './safe-fs.js';

export interface WorkspaceFile {
  /** Relative to the root, `/`-separated. */
  rel: string;
  /** A symlink is tracked as itself (its target is its content, as git stores it), never followed. */
  type: 'file' | 'symlink';
  size: number;
  mtimeMs: number;
}

/** How far a walk of a hostile workspace may go. */
export interface WalkCaps {
  /** Files and symlinks tracked. */
  maxFiles: number;
  /** Entries looked at in total (files, folders, skipped ones). */
  maxEntries: number;
  /** Folder depth below the root. */
  maxDepth: number;
}

export const DEFAULT_WALK_CAPS: WalkCaps = { maxFiles: 10_000, maxEntries: 50_000, maxDepth: 32 };

export interface WorkspaceWalk {
  files: WorkspaceFile[];
  /** The ignore test (the watcher uses it). */
  ignored: (rel: string, isDir?: boolean) => boolean;
  /** FIFOs, sockets and devices seen and skipped. */
  skippedSpecial: string[];
  /** Set when a cap stopped the walk: what was hit, in words. */
  capped: string | null;
}

/** Never tracked, whatever .gitignore says. */
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);
const MAX_GITIGNORE_BYTES = 256 * 1024;

/**
 * Every file and symlink under `root` that git would not ignore, by the host-side rule of
 * safe-fs.ts: folders are opened without following links, symlinks are entries of their own,
 * FIFOs, sockets and devices are skipped, and the walk stops at `caps` and says so.
 */
export async function walkWorkspace(
  root: string,
  caps: WalkCaps = DEFAULT_WALK_CAPS,
): Promise<WorkspaceWalk> {
  const rules = new IgnoreRules();
  const files: WorkspaceFile[] = [];
  const skippedSpecial: string[] = [];
  const skippedDirs = new Set<string>();
  let entriesSeen = 0;
  let capped: string | null = null;
  const stop = (why: string) => {
    capped ??= why;
  };
  const visit = async (dirRel: string, depth: number): Promise<void> => {
    if (capped) return;
    if (depth > caps.maxDepth) {
      stop(`folders deeper than ${caps.maxDepth} levels were not looked into (first: ${dirRel})`);
      return;
    }
    try {
      const text = await readInside(root, dirRel ? `${dirRel}/.gitignore` : '.gitignore', {
        maxBytes: MAX_GITIGNORE_BYTES,
      });
      rules.add(dirRel, text.toString('utf8'));
    } catch {
      // No .gitignore here (or one that is not a plain file).
    }
    const listed = await listDirInside(root, dirRel, {
      maxEntries: caps.maxEntries - entriesSeen,
      maxStats: caps.maxFiles - files.length + 1,
    });
    if (!listed) return;
    for (const { name, type, stats } of listed.entries) {
      if (capped) return;
      entriesSeen++;
      const rel = dirRel ? `${dirRel}/${name}` : name;
      const isDir = type === 'directory';
      if (ALWAYS_SKIPPED.has(name) || rules.ignores(rel, isDir)) {
        if (isDir) skippedDirs.add(rel);
        continue;
      }
      if (isDir) await visit(rel, depth + 1);
      else if (type === 'file' || type === 'symlink') {
        if (files.length >= caps.maxFiles) {
          stop(`only the first ${caps.maxFiles} files were tracked`);
          return;
        }
        // Gone between the listing and its lstat: not there.
        if (stats) files.push({ rel, type, size: stats.size, mtimeMs: stats.mtimeMs });
      } else skippedSpecial.push(rel);
    }
    if (listed.more) stop(`only the first ${caps.maxEntries} entries of the workspace were looked at`);
  };
  await visit('', 0);
  const ignored = (relNative: string, _isDir?: boolean): boolean => {
    const rel = relNative.split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) return false;
    const parts = rel.split('/');
    if (parts.some((p) => ALWAYS_SKIPPED.has(p))) return true;
    for (let i = 1; i < parts.length; i++) if (skippedDirs.has(parts.slice(0, i).join('/'))) return true;
    // A path the watcher asks about may be a file or a folder; ignored as either is enough.
    return rules.ignores(rel, false) || (rules.ignores(rel, true) && !parts.at(-1)?.includes('.'));
  };
  return { files, ignored, skippedSpecial, capped };
}

/** One entry now (never followed), or undefined when it is gone, is a folder or is not a file. */
export async function statWorkspaceFile(root: string, rel: string): Promise<WorkspaceFile | undefined> {
  const stats = await lstatInside(root, rel).catch(() => null);
  if (!stats || !(stats.isFile() || stats.isSymbolicLink())) return undefined;
  return { rel, type: stats.isFile() ? 'file' : 'symlink', size: stats.size, mtimeMs: stats.mtimeMs };
}

import path from 'node:path';
import { watch } from 'chokidar';
import { createTwoFilesPatch } from 'diff';
import type { FileChange } from '../api/types.js';
import { readInside, readLinkInside, realRoot } from './safe-fs.js';
import {
  DEFAULT_WALK_CAPS,
  statWorkspaceFile,
  type WalkCaps,
  type WorkspaceFile,
  walkWorkspace,
} from './workspace-walk.js';

/** Files larger than this are compared by size and mtime only, and their diff says so. */
const MAX_DIFF_BYTES = 1024 * 1024;
const DEBOUNCE_MS = 50;
/** File contents kept for diffing, in total; past it files are compared by size and mtime. */
const MAX_BASELINE_BYTES = 64 * 1024 * 1024;
/** Baseline files read at once: enough to keep the threadpool busy, few enough not to flood it. */
const BASELINE_READS = 32;
/** How recent a baseline file's mtime may be for its stat alone to say it is unchanged. */
const RACY_MS = 2_000;
/** Paths the live watch follows at most: past it, only the final walk reports (each one is an event). */
const MAX_LIVE_PATHS = 2_000;

export interface ChangeTracking {
  /** Every file created, modified or deleted since tracking started, with a unified diff. */
  changes(): Promise<FileChange[]>;
  stop(): Promise<void>;
}

export interface ChangeTrackingOptions {
  /** Called as changes happen on disk (by bash or anything else), one call per settled file. */
  onChange?: (change: FileChange) => void;
  /** The sandbox path of `hostDir`, used in reported paths. */
  sandboxPath?: string;
  /** How far the walks (and the watch) go; see DEFAULT_WALK_CAPS. */
  caps?: WalkCaps;
}

interface WatchStats {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/** What change tracking left out, as one entry on the workspace folder itself. */
function noteChange(prefix: string, notes: string[]): FileChange {
  return {
    path: prefix,
    change: 'modified',
    diff: `runtools: change tracking of ${prefix} is incomplete: ${notes.join('; ')}.\n`,
  };
}

interface Baseline {
  file: WorkspaceFile;
  content: Buffer | null;
}

const isBinary = (b: Buffer): boolean => b.subarray(0, 8192).includes(0);

function diffOf(sandboxPath: string, before: Buffer | null, after: Buffer | null): string {
  if ((before && isBinary(before)) || (after && isBinary(after)))
    return `Binary file ${sandboxPath} changed\n`;
  if ((before?.length ?? 0) > MAX_DIFF_BYTES || (after?.length ?? 0) > MAX_DIFF_BYTES) {
    return `Large file ${sandboxPath} changed (over 1 MB; no diff)\n`;
  }
  return createTwoFilesPatch(
    before ? `a${sandboxPath}` : '/dev/null',
    after ? `b${sandboxPath}` : '/dev/null',
    before?.toString('utf8') ?? '',
    after?.toString('utf8') ?? '',
    undefined,
    undefined,
    { context: 3 },
  );
}

/**
 * What a file holds for diffing, read by the host-side rule: a regular file's bytes (null when
 * over the diff size or unreadable), a symlink's target as text (never followed), as git does.
 */
async function contentOf(root: string, file: WorkspaceFile): Promise<Buffer | null> {
  try {
    if (file.type === 'symlink') return Buffer.from(await readLinkInside(root, file.rel));
    if (file.size > MAX_DIFF_BYTES) return null;
    return await readInside(root, file.rel, { maxBytes: MAX_DIFF_BYTES });
  } catch {
    return null;
  }
}

/**
 * Tracks a workspace folder from now on. A baseline of every file not ignored (.gitignore,
 * `.git`, `node_modules`) is read first; `changes()` walks the folder again and diffs against it.
 * Live reports come from a chokidar watch of the (bind-mounted) host folder, debounced per file.
 * Everything is read by the host-side rule (safe-fs.ts): symlinks are entries whose content is
 * their target, FIFOs, sockets and devices are skipped, and walks and watch stop at `caps`; the
 * list `changes()` returns then ends with a note on the workspace folder saying what was left out.
 */
export async function startChangeTracking(
  hostDir: string,
  options: ChangeTrackingOptions = {},
): Promise<ChangeTracking> {
  const root = await realRoot(hostDir);
  // Files last written this close to the start may change again within their mtime's tick: they
  // are always read at the end (git's "racy" rule), the others only when their stat changed.
  const racyBefore = Date.now() - RACY_MS;
  const prefix = options.sandboxPath ?? '/workspace';
  const caps = options.caps ?? DEFAULT_WALK_CAPS;
  const baseline = new Map<string, Baseline>();
  const walked = await walkWorkspace(root, caps);
  const notes = new Set<string>();
  if (walked.capped) notes.add(`at the start, ${walked.capped}`);
  let kept = 0;
  // Read BASELINE_READS at a time (one after another, 1,500 files took 590 ms); a file's content is
  // kept while the total kept before it is under the cap, as when they were read in order.
  for (let i = 0; i < walked.files.length; i += BASELINE_READS) {
    const batch = walked.files.slice(i, i + BASELINE_READS);
    const contents =
      kept < MAX_BASELINE_BYTES ? await Promise.all(batch.map((file) => contentOf(root, file))) : [];
    batch.forEach((file, j) => {
      const content = kept < MAX_BASELINE_BYTES ? (contents[j] ?? null) : null;
      kept += content?.length ?? 0;
      baseline.set(file.rel, { file, content });
    });
  }
  if (kept >= MAX_BASELINE_BYTES) {
    notes.add(
      `over ${MAX_BASELINE_BYTES / 1024 / 1024} MB of contents, files were compared by size and time only`,
    );
  }
  const sandboxPathOf = (rel: string) => path.posix.join(prefix, rel);

  async function changeOf(rel: string, now: WorkspaceFile | undefined): Promise<FileChange | null> {
    const before = baseline.get(rel);
    const p = sandboxPathOf(rel);
    if (!now) return before ? { path: p, change: 'deleted', diff: diffOf(p, before.content, null) } : null;
    const content = await contentOf(root, now);
    if (!before) return { path: p, change: 'created', diff: diffOf(p, null, content) };
    if (before.content && content && before.content.equals(content)) return null;
    if (
      !before.content &&
      now.type === before.file.type &&
      now.size === before.file.size &&
      now.mtimeMs === before.file.mtimeMs
    )
      return null;
    return { path: p, change: 'modified', diff: diffOf(p, before.content, content) };
  }

  const timers = new Map<string, NodeJS.Timeout>();
  const lastReported = new Map<string, string>();
  // Paths the watch has let in; past the file cap it lets in no more (chokidar keeps a watcher per file).
  const admitted = new Set<string>();
  const admit = (rel: string, stats?: WatchStats): boolean => {
    if (walked.ignored(rel, stats?.isDirectory())) return false;
    // FIFOs, sockets and devices are not watched (chokidar never opens files, but nor need we list them).
    if (stats && !stats.isFile() && !stats.isDirectory() && !stats.isSymbolicLink()) return false;
    if (admitted.has(rel)) return true;
    if (admitted.size >= Math.min(caps.maxFiles, MAX_LIVE_PATHS)) {
      notes.add(
        `live reports stopped after ${admitted.size} paths (the list at the end is complete up to its cap)`,
      );
      return false;
    }
    admitted.add(rel);
    return true;
  };
  const watcher = options.onChange
    ? watch(root, {
        ignoreInitial: true,
        // Never follow a link: `ln -s / root` must not walk the host.
        followSymlinks: false,
        depth: caps.maxDepth,
        ignored: (p: string, stats?: WatchStats) => {
          const rel = path.relative(root, p);
          return rel !== '' && !admit(rel, stats);
        },
        awaitWriteFinish: false,
      })
    : undefined;
  const report = (abs: string) => {
    const rel = path.relative(root, abs).split(path.sep).join('/');
    clearTimeout(timers.get(rel));
    timers.set(
      rel,
      setTimeout(async () => {
        timers.delete(rel);
        const now = await statWorkspaceFile(root, rel);
        const change = await changeOf(rel, now);
        const key = change ? `${change.change}:${change.diff}` : '';
        // The same state reported twice (add then change events of one write) is one report.
        if (!change || lastReported.get(rel) === key) return;
        lastReported.set(rel, key);
        options.onChange?.(change);
      }, DEBOUNCE_MS),
    );
  };
  watcher?.on('add', report).on('change', report).on('unlink', report);
  if (watcher) await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  return {
    async changes() {
      const current = await walkWorkspace(root, caps);
      const now = new Map(current.files.map((f) => [f.rel, f]));
      // A capped walk saw only part of the folder: what it did not reach is not "deleted".
      const rels = [...new Set([...(current.capped ? [] : baseline.keys()), ...now.keys()])].sort();
      const out: FileChange[] = [];
      for (const rel of rels) {
        const file = now.get(rel);
        // Same type, size and mtime as at the start, and not written near it: unchanged, unread.
        // A run's end then reads only what changed, not every file (737 ms for 1,500 files).
        const before = baseline.get(rel)?.file;
        if (
          file &&
          before &&
          file.type === before.type &&
          file.size === before.size &&
          file.mtimeMs === before.mtimeMs &&
          before.mtimeMs < racyBefore
        )
          continue;
        const change = await changeOf(rel, file);
        if (change) out.push(change);
      }
      const all = new Set(notes);
      if (current.capped) all.add(`at the end, ${current.capped}`);
      if (current.skippedSpecial.length > 0) {
        const some = current.skippedSpecial.slice(0, 5).join(', ');
        all.add(
          `${current.skippedSpecial.length} FIFO(s), socket(s) or device(s) were skipped (${some}${current.skippedSpecial.length > 5 ? ', ...' : ''}); they are never read`,
        );
      }
      if (all.size > 0) out.push(noteChange(prefix, [...all]));
      return out;
    },
    async stop() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await watcher?.close();
    },
  };
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { watch } from 'chokidar';
import { createTwoFilesPatch } from 'diff';
import type { FileChange } from '../api/types.js';
import { type WorkspaceFile, walkWorkspace } from './workspace-walk.js';

/** Files larger than this are compared by size and mtime only, and their diff says so. */
const MAX_DIFF_BYTES = 1024 * 1024;
const DEBOUNCE_MS = 50;

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

async function readSmall(file: string, size: number): Promise<Buffer | null> {
  if (size > MAX_DIFF_BYTES) return null;
  try {
    return await readFile(file);
  } catch {
    return null;
  }
}

/**
 * Tracks a workspace folder from now on. A baseline of every file not ignored (.gitignore,
 * `.git`, `node_modules`) is read first; `changes()` walks the folder again and diffs against it.
 * Live reports come from a chokidar watch of the (bind-mounted) host folder, debounced per file.
 */
export async function startChangeTracking(
  hostDir: string,
  options: ChangeTrackingOptions = {},
): Promise<ChangeTracking> {
  const root = path.resolve(hostDir);
  const prefix = options.sandboxPath ?? '/workspace';
  const baseline = new Map<string, Baseline>();
  const walked = await walkWorkspace(root);
  for (const file of walked.files) {
    baseline.set(file.rel, { file, content: await readSmall(path.join(root, file.rel), file.size) });
  }
  const sandboxPathOf = (rel: string) => path.posix.join(prefix, rel);

  async function changeOf(rel: string, now: WorkspaceFile | undefined): Promise<FileChange | null> {
    const before = baseline.get(rel);
    const p = sandboxPathOf(rel);
    if (!now) return before ? { path: p, change: 'deleted', diff: diffOf(p, before.content, null) } : null;
    const content = await readSmall(path.join(root, rel), now.size);
    if (!before) return { path: p, change: 'created', diff: diffOf(p, null, content) };
    if (before.content && content && before.content.equals(content)) return null;
    if (!before.content && now.size === before.file.size && now.mtimeMs === before.file.mtimeMs) return null;
    return { path: p, change: 'modified', diff: diffOf(p, before.content, content) };
  }

  const timers = new Map<string, NodeJS.Timeout>();
  const lastReported = new Map<string, string>();
  const watcher = options.onChange
    ? watch(root, {
        ignoreInitial: true,
        ignored: (p: string, stats?: { isDirectory(): boolean }) =>
          walked.ignored(path.relative(root, p), stats?.isDirectory()),
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
        const now = await walkWorkspace.statOne(root, rel);
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
      const current = await walkWorkspace(root);
      const now = new Map(current.files.map((f) => [f.rel, f]));
      const rels = [...new Set([...baseline.keys(), ...now.keys()])].sort();
      const out: FileChange[] = [];
      for (const rel of rels) {
        const change = await changeOf(rel, now.get(rel));
        if (change) out.push(change);
      }
      return out;
    },
    async stop() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await watcher?.close();
    },
  };
}

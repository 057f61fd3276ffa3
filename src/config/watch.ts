import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { type FSWatcher, watch } from 'chokidar';

/** Short enough to feel instant, long enough to see an editor's save as one change. */
const SETTLE_MS = 80;
/** How often the files are stat'ed in case the folder watch missed something. */
const RECHECK_MS = 1_000;

/**
 * Watches the config file and the prompt files it references, calling `onChange` once per burst of
 * changes. The file set can change on every reload (a prompt file added or dropped).
 *
 * It watches the FOLDERS that hold the files, not the files: a watch on a file dies with its inode,
 * so `git checkout`, `git stash` and editors that save by writing a temp file and renaming it over
 * the old one would end hot reload for good. A folder watch sees the file go and come back under
 * its name, whatever happened in between. Only events for the files themselves count.
 *
 * Folder watches still lose events when a folder is renamed away or removed and made again while
 * the watcher is busy (seen under load: a `git checkout` that swapped `prompts/` gave no reload at
 * all). So the few watched files are also stat'ed every second, and a change the watch did not
 * report is reported then: late, never lost.
 */
export class ConfigWatcher {
  private readonly watcher: FSWatcher;
  private files = new Set<string>();
  /** The folders watched: each file's folder, or its nearest existing ancestor. */
  private dirs = new Set<string>();
  /** Each file's own folder, existing or not. */
  private wanted = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private changed = new Set<string>();
  /** What each file looked like when last reported (or first seen): see `recheck`. */
  private seen = new Map<string, string>();
  private readonly recheckTimer: NodeJS.Timeout;
  /** Resolves once the first folders are being watched. */
  readonly ready: Promise<void>;

  constructor(
    files: string[],
    private readonly onChange: (changed: string[]) => void,
  ) {
    this.files = new Set(files.map((f) => path.resolve(f)));
    this.wanted = new Set([...this.files].map((f) => path.dirname(f)));
    this.dirs = foldersOf(this.files);
    for (const file of this.files) this.seen.set(file, signatureOf(file));
    this.recheckTimer = setInterval(() => this.recheck(), RECHECK_MS).unref();
    this.watcher = watch([...this.dirs], {
      ignoreInitial: true,
      // Only the folders' own entries: never a walk into node_modules or the data dir.
      depth: 0,
      // Everything in a watched folder but the files themselves (editor swap files, the SQLite file).
      ignored: (p: string) => !this.dirs.has(p) && !this.files.has(p) && !this.wanted.has(p),
    });
    this.ready = new Promise((resolve) => this.watcher.once('ready', () => resolve()));
    this.watcher.on('all', (event, raw) => {
      const file = path.resolve(raw);
      if (this.files.has(file)) this.touched(file);
      else if ((event === 'addDir' || event === 'unlinkDir') && this.wanted.has(file)) {
        // A prompt folder came back (or went): move the watch to it (or up), and reload, since
        // the files in it may have come with it before its own watch started.
        this.setFiles([...this.files]);
        this.touched(file);
      }
    });
  }

  /** The files to watch now; folders no longer needed are let go, new ones added. */
  setFiles(files: string[]): void {
    this.files = new Set(files.map((f) => path.resolve(f)));
    this.wanted = new Set([...this.files].map((f) => path.dirname(f)));
    const next = foldersOf(this.files);
    // A wanted folder that is gone for now is not unwatched: chokidar would then ignore it for
    // good, and miss it coming back.
    const removed = [...this.dirs].filter((d) => !next.has(d) && !this.wanted.has(d));
    const added = [...next].filter((d) => !this.dirs.has(d));
    this.dirs = next;
    for (const file of this.files) if (!this.seen.has(file)) this.seen.set(file, signatureOf(file));
    for (const file of this.seen.keys()) if (!this.files.has(file)) this.seen.delete(file);
    if (removed.length > 0) this.watcher.unwatch(removed);
    if (added.length > 0) this.watcher.add(added);
  }

  private touched(file: string): void {
    this.changed.add(file);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const changed = [...this.changed];
      this.changed.clear();
      // What is reported now is what the recheck compares with, so it does not report it again.
      for (const file of this.files) this.seen.set(file, signatureOf(file));
      this.onChange(changed);
    }, SETTLE_MS);
  }

  /** Reports the files whose stat changed since they were last reported, if the watch did not. */
  private recheck(): void {
    for (const file of this.files) {
      const before = this.seen.get(file);
      const now = signatureOf(file);
      if (before === now) continue;
      this.seen.set(file, now);
      // A file that appeared or vanished may mean its folder did: move the folder watch with it.
      if (now === MISSING || before === MISSING || !this.dirs.has(path.dirname(file)))
        this.setFiles([...this.files]);
      this.touched(file);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.recheckTimer);
    clearTimeout(this.timer);
    await this.watcher.close();
  }
}

/**
 * The folder of each file, or its nearest existing ancestor when the folder itself is gone (a
 * checkout that removed `prompts/`): watching that folder sees `prompts/` come back, and the next
 * reload moves the watch down to it.
 */
function foldersOf(files: Set<string>): Set<string> {
  const dirs = new Set<string>();
  for (const file of files) {
    let dir = path.dirname(file);
    while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    dirs.add(dir);
  }
  return dirs;
}

const MISSING = 'missing';

/** Enough of a file's stat to tell it changed: a rewrite, a replace by rename, a removal. */
function signatureOf(file: string): string {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat ? `${stat.ino}:${stat.size}:${stat.mtimeMs}` : MISSING;
}

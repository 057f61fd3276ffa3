import { type FSWatcher, watch } from 'chokidar';

/** Short enough to feel instant, long enough to see an editor's save as one change. */
const SETTLE_MS = 80;

/**
 * Watches the config file and the prompt files it references, calling `onChange` once per burst of
 * changes. The file set can change on every reload (a prompt file added or dropped).
 */
export class ConfigWatcher {
  private readonly watcher: FSWatcher;
  private files = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private changed = new Set<string>();
  /** Resolves once the first files are being watched. */
  readonly ready: Promise<void>;

  constructor(
    files: string[],
    private readonly onChange: (changed: string[]) => void,
  ) {
    this.watcher = watch(files, { ignoreInitial: true });
    this.files = new Set(files);
    this.ready = new Promise((resolve) => this.watcher.once('ready', () => resolve()));
    this.watcher.on('all', (_event, file) => this.touched(file));
  }

  setFiles(files: string[]): void {
    const next = new Set(files);
    const removed = [...this.files].filter((f) => !next.has(f));
    const added = [...next].filter((f) => !this.files.has(f));
    if (removed.length > 0) this.watcher.unwatch(removed);
    if (added.length > 0) this.watcher.add(added);
    this.files = next;
  }

  private touched(file: string): void {
    this.changed.add(file);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const changed = [...this.changed];
      this.changed.clear();
      this.onChange(changed);
    }, SETTLE_MS);
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    await this.watcher.close();
  }
}

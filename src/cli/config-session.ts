import pc from 'picocolors';
import { ConfigError, displayPath } from '../config/errors.js';
import { type LoadedConfig, loadConfig } from '../config/load.js';
import { type SyncNote, syncConfig } from '../config/sync.js';
import { ConfigWatcher } from '../config/watch.js';
import type { Engine } from '../engine/engine.js';
import { liveFlagProblems } from '../toolsets/live.js';
import { formatNote, isProblem } from './config-report.js';

export interface ConfigSessionOptions {
  /** The dev --sandbox flag; it wins over the config's `sandbox`. */
  sandboxFlag?: 'docker' | 'local';
  /** Where news and problems are written. */
  out: (line: string) => void;
  color: boolean;
  /** Print only problems (for commands that sync on their own, without a server). */
  quiet?: boolean;
  /** `dev --live`: every config must give these toolsets a live provider. */
  live?: readonly string[];
}

/**
 * The config side of the dev loop: load and sync at start, then reload on every change of the
 * config or its prompt files. A config that fails to load leaves the last good one in force.
 */
export class ConfigSession {
  private current: LoadedConfig | undefined;
  private watcher: ConfigWatcher | undefined;
  /** Reloads run one at a time, in order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly engine: Engine,
    private readonly file: string,
    private readonly options: ConfigSessionOptions,
  ) {}

  /** Loads and syncs once; false when the config could not be used. */
  async load(): Promise<boolean> {
    const started = performance.now();
    let config: LoadedConfig;
    try {
      config = await loadConfig(this.file);
      const live = liveFlagProblems(this.options.live ?? [], config.toolsets, this.file);
      if (live.length > 0) {
        throw new ConfigError(this.file, live, config.files);
      }
    } catch (error) {
      this.report(error, this.current !== undefined);
      // Watch what the broken config points at too: creating a missing prompt file should fix it.
      if (error instanceof ConfigError)
        this.watcher?.setFiles([...new Set([...(this.current?.files ?? []), ...error.files])]);
      return false;
    }
    const notes = syncConfig(this.engine, config, {
      defaultSandbox: this.options.sandboxFlag ?? config.sandbox ?? 'docker',
      previous: this.current,
    });
    const reloaded = this.current !== undefined;
    this.current = config;
    this.watcher?.setFiles(config.files);
    this.print(notes, reloaded, performance.now() - started);
    const integrations = this.integrations();
    if (reloaded && integrations !== this.shownIntegrations && !this.options.quiet)
      this.options.out(`  integrations: ${integrations}`);
    this.shownIntegrations = integrations;
    return true;
  }

  private shownIntegrations = '';

  /** What serves each toolset, one line: `gmail (stand-in), linear (MCP)`; LIVE ones stand out. */
  integrations(): string {
    const parts = this.engine.toolsets?.describe() ?? [];
    return parts
      .map((part) => (part.includes('(LIVE') && this.options.color ? pc.bold(pc.yellow(part)) : part))
      .join(', ');
  }

  /** The config in force now (the last one that loaded), if any. */
  get loaded(): LoadedConfig | undefined {
    return this.current;
  }

  /** Starts hot reload; resolves once the files are watched. */
  async watch(): Promise<void> {
    const files = this.current?.files ?? [this.file];
    this.watcher = new ConfigWatcher(files, () => {
      this.queue = this.queue.then(() => this.load().then(() => undefined));
    });
    await this.watcher.ready;
  }

  async close(): Promise<void> {
    await this.watcher?.close();
    await this.queue;
  }

  private print(notes: SyncNote[], reloaded: boolean, ms: number): void {
    const { out, color, quiet } = this.options;
    const shown = quiet ? notes.filter(isProblem) : notes;
    if (!quiet) {
      const what = reloaded ? 'reloaded' : 'loaded';
      const summary =
        notes.length === 0 ? 'no changes' : `${notes.length} change${notes.length > 1 ? 's' : ''}`;
      out(
        `${color ? pc.cyan('config') : 'config'} ${what} ${displayPath(this.file)} (${summary}, ${Math.round(ms)} ms)`,
      );
    }
    for (const note of shown) out(formatNote(note, color));
  }

  private report(error: unknown, keeping: boolean): void {
    const { out, color } = this.options;
    const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
    const tail = keeping
      ? 'the last good config stays in force until the file is fixed'
      : 'nothing from it was applied';
    out(`${color ? pc.red('config error:') : 'config error:'} ${message}\n  (${tail})`);
  }
}

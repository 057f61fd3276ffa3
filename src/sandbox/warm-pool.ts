/** How many warm containers to keep, and for how long. */
export interface WarmPoolLimits {
  /** Warm containers kept ready per kind of container (template, user, mounts, limits). 0 turns the pool off. */
  perKey: number;
  /** Warm containers kept in all; the kind used longest ago gives way first. */
  max: number;
  /** A warm container nobody took for this long is removed. */
  idleMs: number;
}

export const DEFAULT_WARM_POOL: WarmPoolLimits = { perKey: 1, max: 4, idleMs: 10 * 60_000 };

interface Entry<T> {
  item: T;
  expiry: NodeJS.Timeout;
}

/**
 * Things made ahead of need (warm containers), kept by the key of how they were made. `take`
 * hands one out at most once, so no two runs ever share one; `refill` makes replacements in the
 * background after a take (or a miss). Failures to make one are dropped: a run without a warm
 * container makes its own, as it did before the pool.
 */
export class WarmPool<T, R> {
  private readonly ready = new Map<string, Entry<T>[]>();
  private readonly making = new Map<string, number>();
  /** Keys by last use, oldest first, for eviction when `max` is reached. */
  private readonly used = new Map<string, true>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly limits: WarmPoolLimits,
    private readonly make: (recipe: R) => Promise<T>,
    private readonly discard: (item: T) => Promise<void>,
    private readonly log: (message: string) => void = () => {},
  ) {}

  get size(): number {
    let n = 0;
    for (const entries of this.ready.values()) n += entries.length;
    return n;
  }

  /** Warm ones ready for `key` (tests and the bench read it). */
  readyFor(key: string): number {
    return this.ready.get(key)?.length ?? 0;
  }

  /** A warm one made by `key`'s recipe, now the caller's alone; undefined when none is ready. */
  take(key: string): T | undefined {
    const entries = this.ready.get(key);
    const entry = entries?.shift();
    if (!entry) return undefined;
    if (entries!.length === 0) this.ready.delete(key);
    clearTimeout(entry.expiry);
    return entry.item;
  }

  /**
   * Makes warm ones for `key` in the background until `perKey` are ready or being made. Unless
   * `now`, only a key asked for before is refilled: a kind of container made once (an eval trial's
   * own folder) is not made again for nobody.
   */
  refill(key: string, recipe: R, now = false): void {
    if (this.closed || this.limits.perKey <= 0) return;
    const again = this.used.has(key);
    this.touch(key);
    if (!now && !again) return;
    const want = this.limits.perKey - this.readyFor(key) - (this.making.get(key) ?? 0);
    for (let i = 0; i < want; i++) {
      if (!this.roomFor(key)) return;
      this.making.set(key, (this.making.get(key) ?? 0) + 1);
      const job = this.make(recipe)
        .then(
          (item) => {
            if (this.closed) return this.discard(item);
            this.keep(key, item);
          },
          (error: unknown) =>
            this.log(`runtools: a warm container could not be made (runs make their own): ${String(error)}`),
        )
        .catch(() => {})
        .finally(() => {
          this.making.set(key, (this.making.get(key) ?? 1) - 1);
          this.inFlight.delete(job);
        });
      this.inFlight.add(job);
    }
  }

  /** Removes every warm one (and waits for those being made, then removes them too). */
  async drain(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.inFlight]);
    const items = [...this.ready.values()].flat();
    this.ready.clear();
    await Promise.all(
      items.map((entry) => {
        clearTimeout(entry.expiry);
        return this.discard(entry.item).catch(() => {});
      }),
    );
  }

  private keep(key: string, item: T): void {
    const entry: Entry<T> = {
      item,
      expiry: setTimeout(() => this.expire(key, entry), this.limits.idleMs).unref(),
    };
    const entries = this.ready.get(key) ?? [];
    entries.push(entry);
    this.ready.set(key, entries);
  }

  private expire(key: string, entry: Entry<T>): void {
    const entries = this.ready.get(key);
    const at = entries?.indexOf(entry) ?? -1;
    if (at < 0) return;
    entries!.splice(at, 1);
    if (entries!.length === 0) this.ready.delete(key);
    void this.discard(entry.item).catch(() => {});
  }

  /** Whether one more fits under `max`, evicting a warm one of the kind used longest ago if needed. */
  private roomFor(key: string): boolean {
    let making = 0;
    for (const n of this.making.values()) making += n;
    if (this.size + making < this.limits.max) return true;
    for (const oldest of this.used.keys()) {
      if (oldest === key) break;
      const entries = this.ready.get(oldest);
      const victim = entries?.pop();
      if (!victim) continue;
      if (entries!.length === 0) this.ready.delete(oldest);
      clearTimeout(victim.expiry);
      void this.discard(victim.item).catch(() => {});
      return true;
    }
    return false;
  }

  private touch(key: string): void {
    this.used.delete(key);
    this.used.set(key, true);
    // Remember the last thousand kinds, no more: the oldest go first.
    if (this.used.size > 1000) this.used.delete(this.used.keys().next().value!);
  }
}

interface Entry<V> {
  copy?: { value: V };
  /** When the read that gave `copy` started (ms): its age counts from then. */
  readAtMs: number;
  reading?: Promise<V>;
}

export interface RefreshingCacheOptions {
  /** Past this age a copy is still served, while one read in the background renews it. */
  refreshAfterMs: number;
  /** Past this age (no request came to renew it) the next request waits for a fresh read. */
  maxStaleMs: number;
  /** Past this many keys the cache starts afresh rather than grow without bound. */
  maxEntries: number;
}

/**
 * A per-isolate copy, per key, of state another service owns (KV, a Durable Object): read
 * once, then answered from memory. A copy older than `refreshAfterMs` is served while one read
 * in the background (`waitUntil`) renews it, so under steady traffic no request waits and a
 * change is seen within `refreshAfterMs` plus one read; a copy older than `maxStaleMs` is never
 * served. Requests that must wait share one read. Module-level state with one owner, like
 * `TtlCache`: every copy has an age bound and the number of keys is bounded.
 * @example
 * const sites = new RefreshingCache<Site>({ refreshAfterMs: 5_000, maxStaleMs: 30_000, maxEntries: 10_000 });
 * const site = await sites.get(host, () => kv.get(host, 'json'), (p) => ctx.waitUntil(p));
 */
export class RefreshingCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #options: RefreshingCacheOptions;

  constructor(options: RefreshingCacheOptions) {
    this.#options = options;
  }

  /**
   * The copy for `key`: at once when it is young enough (the value itself, no promise),
   * else the answer of `read`, which the cache keeps.
   */
  get(
    key: string,
    read: () => Promise<V>,
    waitUntil: (promise: Promise<unknown>) => void,
    nowMs: number = Date.now(),
  ): V | Promise<V> {
    const entry = this.#entries.get(key) ?? this.#add(key);
    const ageMs = nowMs - entry.readAtMs;
    if (entry.copy && ageMs <= this.#options.maxStaleMs) {
      if (ageMs > this.#options.refreshAfterMs && !entry.reading)
        // A failed refresh keeps the copy; the next request past `refreshAfterMs` tries again.
        waitUntil(this.#read(entry, read, nowMs).catch(() => undefined));
      return entry.copy.value;
    }
    return entry.reading ?? this.#read(entry, read, nowMs);
  }

  #add(key: string): Entry<V> {
    if (this.#entries.size >= this.#options.maxEntries) this.#entries.clear();
    const entry: Entry<V> = { readAtMs: 0 };
    this.#entries.set(key, entry);
    return entry;
  }

  #read(entry: Entry<V>, read: () => Promise<V>, nowMs: number): Promise<V> {
    const reading = read()
      .then((value) => {
        entry.copy = { value };
        entry.readAtMs = nowMs;
        return value;
      })
      .finally(() => {
        if (entry.reading === reading) entry.reading = undefined;
      });
    entry.reading = reading;
    return reading;
  }
}

/**
 * A per-isolate cache whose answers last `ttlMs` and which never holds more than
 * `maxEntries` (past that it starts afresh). The one kind of module-level state a Worker
 * may keep: its owner creates it once, and every entry expires.
 * @example
 * const sites = new TtlCache<SiteSnapshot | undefined>(5_000, 10_000);
 */
export class TtlCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAtMs: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor(ttlMs: number, maxEntries: number) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  /** The cached value, or undefined when there is none or it has expired. */
  get(key: string, nowMs: number): { value: V } | undefined {
    const entry = this.#entries.get(key);
    return entry && entry.expiresAtMs > nowMs ? { value: entry.value } : undefined;
  }

  set(key: string, value: V, nowMs: number): void {
    if (this.#entries.size >= this.#maxEntries && !this.#entries.has(key)) this.#entries.clear();
    this.#entries.set(key, { value, expiresAtMs: nowMs + this.#ttlMs });
  }
}

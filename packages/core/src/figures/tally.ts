/** One figure of one site in one minute, as stored in `edge_figures`. */
export interface FigureRow {
  siteId: string;
  /** Minutes since the Unix epoch (UTC). */
  minute: number;
  name: string;
  count: number;
}

const MINUTE_MS = 60_000;
const FLUSH_EVERY_MS = 10_000;

/**
 * Counts edge events in memory and hands them over in batches, so counting puts no
 * Durable Object call or D1 query on a request: `count` says when a batch is due, at most
 * every 10 s, and `take` empties the tally. What an isolate counted since its last batch is
 * lost if the runtime evicts it first.
 * @example
 * if (tally.count(site.id, 'cache.hit')) ctx.waitUntil(flushFigures(db, tally.take()));
 */
export class FigureTally {
  readonly #counts = new Map<string, FigureRow>();
  #lastTakenMs: number;

  constructor(nowMs = Date.now()) {
    this.#lastTakenMs = nowMs;
  }

  /** Counts one event (or `n`); true when a batch is due. */
  count(siteId: string, name: string, n = 1, nowMs = Date.now()): boolean {
    const minute = Math.floor(nowMs / MINUTE_MS);
    const key = `${siteId}\n${minute}\n${name}`;
    const row = this.#counts.get(key) ?? { siteId, minute, name, count: 0 };
    row.count += n;
    this.#counts.set(key, row);
    return nowMs - this.#lastTakenMs >= FLUSH_EVERY_MS;
  }

  /** Everything counted since the last batch, and a fresh start. */
  take(nowMs = Date.now()): FigureRow[] {
    const rows = [...this.#counts.values()];
    this.#counts.clear();
    this.#lastTakenMs = nowMs;
    return rows;
  }
}

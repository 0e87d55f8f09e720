import { DurableObject } from 'cloudflare:workers';
import { createLogger, wipeStorage } from '@wp-edge/core';
import { endOfDayMs, utcDay } from './day.ts';
import { FloodLimit } from './flood-limit.ts';
import { moveLegacyCounts } from './legacy-shard-tables.ts';
import type { ShardDayCount } from './view-rollup.ts';

/** A page's key: `post:<id>` for a post, or its path (always starting with `/`). */
export type PageKey = string;

export type PageCount = {
  views: number;
  /** Daily unique visitors, summed over the days. */
  visitors: number;
};

export interface SiteTotals {
  today: PageCount;
  allTime: PageCount;
}

/** What the Worker tells a shard about one view. */
export interface ViewRules {
  /** A visitor's views of the page closer together than this count once. */
  windowMs: number;
  /** For a page the catalog does not vouch for: how many pages of its kind this shard may keep. */
  maxUnvouchedPages?: number;
  /** The sender's address, as a daily hash: its views a minute are limited (`FloodLimit`). */
  address?: string;
}

export type RecordOutcome = 'counted' | 'repeat' | 'too-many-paths' | 'too-many-views';

/** A view waiting for the batch it is written in. */
interface QueuedView {
  page: PageKey;
  visitor: string;
  atMs: number;
  rules: ViewRules;
  resolve: (outcome: RecordOutcome) => void;
  reject: (error: unknown) => void;
}

/** How soon after a view the shard sends its counts to the site's rollup: the batch read's staleness. */
export const FLUSH_DELAY_MS = 1_000;

/** How soon a flush the rollup refused is tried again. */
const FLUSH_RETRY_MS = 5_000;

/** The site's own row: its views and visitors, beside the pages'. */
export const SITE = '';

/** The key range of a page's kind: paths start with `/`, posts with `post:`. */
function kindRange(page: PageKey): [string, string] {
  return page.startsWith('post:') ? ['post:', 'post;'] : ['/', '0'];
}

const log = createLogger({ service: 'views' });

function splitName(name: string): { siteId: string; shard: string } {
  const at = name.lastIndexOf(':');
  return { siteId: name.slice(0, at), shard: name.slice(at + 1) };
}

/**
 * One shard of a site's view counts (SQLite storage). A visitor always lands on the same
 * shard, so each shard can tell on its own whether a visitor is new today or back within
 * the window. A counted view writes one row, the visitor's row of the page (no await in
 * between the read and the write, so concurrent views never lose one); today's counts are
 * the sums of those rows, kept in memory beside them. Views that arrive while one is being
 * made durable are written together, in one transaction and one commit. Within FLUSH_DELAY_MS an alarm sends
 * the pages that grew to the site's `ViewRollup`; at midnight it sums the day into
 * `closed_days` and forgets the visitor hashes, even when no view comes after. Tables:
 * storage-schema.md.
 */
export class ViewShard extends DurableObject<Env> {
  #day: string | undefined;
  /** Today's counts per page (and the site's), summed from `visits_today` when the shard starts. */
  #today: Map<PageKey, PageCount> | undefined;
  /** Pages whose count grew since the rollup last took them; every page after a restart. */
  #grown: Set<PageKey> | 'all' = 'all';
  #alarmAtMs: number | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #nameKept = false;
  #queued: QueuedView[] = [];
  #committing: Promise<void> | undefined;
  readonly #floods = new FloodLimit();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    sql.exec('CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const name = this.#knownName();
    moveLegacyCounts(sql, name === undefined ? undefined : splitName(name).shard);
    sql.exec(`
      CREATE TABLE IF NOT EXISTS visits_today (visitor TEXT NOT NULL, page TEXT NOT NULL, counted_at_ms INTEGER NOT NULL, views INTEGER NOT NULL, PRIMARY KEY (visitor, page)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS closed_days (source TEXT NOT NULL, day TEXT NOT NULL, page TEXT NOT NULL, views INTEGER NOT NULL, visitors INTEGER NOT NULL, PRIMARY KEY (source, day, page)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS kept_pages (page TEXT PRIMARY KEY) WITHOUT ROWID;
    `);
  }

  /**
   * `<siteId>:<shard>`, the name the Worker gave this object, kept in `state` too: an object
   * an alarm wakes may not be told its name, and its counts must reach its own site's rollup.
   */
  get #name(): { siteId: string; shard: string } {
    const name = this.#knownName();
    if (name === undefined) throw new Error('a views shard does not know its name');
    return splitName(name);
  }

  #knownName(): string | undefined {
    return (
      this.ctx.id.name ??
      this.ctx.storage.sql
        .exec<{ value: string }>("SELECT value FROM state WHERE key = 'name'")
        .toArray()[0]?.value
    );
  }

  /** Keeps the name the Worker called this object by, once per start (no row is written when it is kept). */
  #keepName(): void {
    if (this.#nameKept || this.ctx.id.name === undefined) return;
    this.ctx.storage.sql.exec(
      "INSERT OR IGNORE INTO state (key, value) VALUES ('name', ?)",
      this.ctx.id.name,
    );
    this.#nameKept = true;
  }

  /** Forgets this shard's visitors, counts not yet sent, day and alarm (`sites remove`); returns the rows left per table. */
  async wipe(): Promise<Record<string, number>> {
    this.#day = undefined;
    this.#today = new Map();
    this.#grown = new Set();
    this.#alarmAtMs = undefined;
    this.#nameKept = false;
    return wipeStorage(this.ctx.storage);
  }

  #storedDay(): string | undefined {
    return this.ctx.storage.sql
      .exec<{ value: string }>("SELECT value FROM state WHERE key = 'day'")
      .toArray()[0]?.value;
  }

  #counts(): Map<PageKey, PageCount> {
    if (this.#today) return this.#today;
    const sql = this.ctx.storage.sql;
    const rows = sql
      .exec<{ page: string; views: number; visitors: number }>(
        'SELECT page, SUM(views) AS views, COUNT(*) AS visitors FROM visits_today GROUP BY page',
      )
      .toArray();
    const site = sql
      .exec<{ views: number | null; visitors: number }>(
        'SELECT SUM(views) AS views, COUNT(DISTINCT visitor) AS visitors FROM visits_today',
      )
      .one();
    this.#today = new Map(
      rows.map((row) => [row.page, { views: row.views, visitors: row.visitors }]),
    );
    if (site.visitors > 0)
      this.#today.set(SITE, { views: site.views ?? 0, visitors: site.visitors });
    return this.#today;
  }

  /** Sums the day `visits_today` belongs to into `closed_days` and forgets its visitors. */
  #closeDay(day: string): void {
    const sql = this.ctx.storage.sql;
    const { shard } = this.#name;
    for (const [page, count] of this.#counts())
      sql.exec(
        'INSERT INTO closed_days (source, day, page, views, visitors) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET views = excluded.views, visitors = excluded.visitors',
        shard,
        day,
        page,
        count.views,
        count.visitors,
      );
    sql.exec('DELETE FROM visits_today');
    this.#today = new Map();
    this.#grown = new Set();
  }

  /** Moves the shard to `day` (never back), closing the day before; returns the shard's day. */
  #startDay(day: string): string {
    if (this.#day !== undefined && this.#day >= day) return this.#day;
    const current = this.#storedDay();
    if (current !== undefined && current >= day) {
      this.#day = current;
      return current;
    }
    if (current !== undefined) this.#closeDay(current);
    this.ctx.storage.sql.exec(
      "INSERT INTO state (key, value) VALUES ('day', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      day,
    );
    this.#day = day;
    return day;
  }

  #roomFor(page: PageKey, maxPages: number): boolean {
    const sql = this.ctx.storage.sql;
    if (sql.exec('SELECT 1 FROM kept_pages WHERE page = ?', page).toArray().length > 0) return true;
    const [from, to] = kindRange(page);
    const kept = sql
      .exec<{ n: number }>(
        'SELECT COUNT(*) AS n FROM kept_pages WHERE page >= ? AND page < ?',
        from,
        to,
      )
      .one().n;
    if (kept >= maxPages) return false;
    sql.exec('INSERT INTO kept_pages (page) VALUES (?)', page);
    return true;
  }

  /** Whether this view of the page counts: one read of the visitor's rows today, one write. */
  #visit(page: PageKey, visitor: string, atMs: number, windowMs: number) {
    const sql = this.ctx.storage.sql;
    const rows = sql
      .exec<{ page: string; counted_at_ms: number }>(
        'SELECT page, counted_at_ms FROM visits_today WHERE visitor = ?',
        visitor,
      )
      .toArray();
    const last = rows.find((row) => row.page === page);
    if (last && atMs - last.counted_at_ms < windowMs) return undefined;
    sql.exec(
      'INSERT INTO visits_today (visitor, page, counted_at_ms, views) VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET counted_at_ms = excluded.counted_at_ms, views = views + 1',
      visitor,
      page,
      atMs,
    );
    return { newToPage: last ? 0 : 1, newToSite: rows.length === 0 ? 1 : 0 };
  }

  #markGrown(pages: PageKey[]): void {
    if (this.#grown !== 'all') for (const page of pages) this.#grown.add(page);
  }

  /** Adds a view to today's counts, which `#counts()` loaded before the view's row was written. */
  #grow(counts: Map<PageKey, PageCount>, page: PageKey, visitors: number): void {
    const count = counts.get(page) ?? { views: 0, visitors: 0 };
    counts.set(page, { views: count.views + 1, visitors: count.visitors + visitors });
    this.#markGrown([page]);
  }

  /**
   * Counts one view of a page at `atMs` by a visitor (a daily hash), for the page and for the
   * site, unless the visitor's last counted view of the page is within the window, or the
   * page is one the catalog does not vouch for and this shard already keeps as many as allowed.
   * Answers once the view's row is durable. Views that arrive while a write is being made
   * durable wait for it and are then written together, in one transaction and one commit.
   */
  recordView(
    page: PageKey,
    visitor: string,
    atMs: number,
    rules: ViewRules,
  ): Promise<RecordOutcome> {
    return new Promise((resolve, reject) => {
      this.#queued.push({ page, visitor, atMs, rules, resolve, reject });
      this.#committing ??= this.#commitQueued().finally(() => {
        this.#committing = undefined;
      });
    });
  }

  /** Writes the queued views a batch at a time, each batch answered once its commit is durable. */
  async #commitQueued(): Promise<void> {
    while (this.#queued.length > 0) {
      const batch = this.#queued.splice(0);
      try {
        const outcomes = this.ctx.storage.transactionSync(() =>
          batch.map((view) => this.#count(view)),
        );
        const day = this.#day;
        if (day !== undefined && outcomes.includes('counted'))
          await this.#alarmBy(Math.min(Date.now() + FLUSH_DELAY_MS, endOfDayMs(day)));
        await this.ctx.storage.sync();
        batch.forEach((view, i) => {
          view.resolve(outcomes[i] ?? 'repeat');
        });
      } catch (error) {
        // The transaction rolled back: today's counts in memory are read from storage again.
        this.#today = undefined;
        this.#day = undefined;
        this.#grown = 'all';
        for (const view of batch) view.reject(error);
      }
    }
  }

  #count({ page, visitor, atMs, rules }: QueuedView): RecordOutcome {
    if (rules.address !== undefined && !this.#floods.admit(rules.address, Date.now()))
      return 'too-many-views';
    this.#startDay(utcDay(atMs));
    const counts = this.#counts();
    if (rules.maxUnvouchedPages !== undefined && !this.#roomFor(page, rules.maxUnvouchedPages))
      return 'too-many-paths';
    const visit = this.#visit(page, visitor, atMs, rules.windowMs);
    if (!visit) return 'repeat';
    this.#keepName();
    this.#grow(counts, page, visit.newToPage);
    this.#grow(counts, SITE, visit.newToSite);
    return 'counted';
  }

  /** Makes sure the alarm rings no later than `atMs`. */
  async #alarmBy(atMs: number): Promise<void> {
    if (this.#alarmAtMs !== undefined && this.#alarmAtMs <= atMs) return;
    this.#alarmAtMs = atMs;
    await this.ctx.storage.setAlarm(atMs);
  }

  /**
   * Sends the rollup every page count that grew since it last took them, and the closed
   * days it has not taken yet; the next flush waits for this one. Counts stay in the shard
   * until the rollup has them.
   */
  flush(): Promise<void> {
    const next = this.#flushing.catch(() => undefined).then(() => this.#send());
    this.#flushing = next;
    return next;
  }

  async #send(): Promise<void> {
    const sql = this.ctx.storage.sql;
    const closed = sql.exec<ShardDayCount>('SELECT * FROM closed_days').toArray();
    const counts = this.#counts();
    const grown = this.#grown === 'all' ? [...counts.keys()] : [...this.#grown];
    if (closed.length === 0 && grown.length === 0) return;
    const { siteId, shard } = this.#name;
    const day = this.#day ?? this.#storedDay() ?? utcDay(Date.now());
    const today = grown.flatMap((page) => {
      const count = counts.get(page);
      return count ? [{ source: shard, day, page, ...count }] : [];
    });
    this.#grown = new Set();
    try {
      await this.env.VIEW_ROLLUPS.get(this.env.VIEW_ROLLUPS.idFromName(siteId)).apply([
        ...closed,
        ...today,
      ]);
    } catch (error) {
      this.#markGrown(grown);
      throw error;
    }
    for (const row of closed)
      sql.exec(
        'DELETE FROM closed_days WHERE source = ? AND day = ? AND page = ?',
        row.source,
        row.day,
        row.page,
      );
  }

  /**
   * Closes a day that is over (forgetting its visitors), then sends the rollup what it lacks.
   * An alarm before midnight with nothing to send waits for midnight; a rollup that cannot be
   * reached is tried again in FLUSH_RETRY_MS, with the counts kept here meanwhile.
   */
  override async alarm(): Promise<void> {
    this.#alarmAtMs = undefined;
    const day = this.#storedDay();
    if (day !== undefined && day < utcDay(Date.now())) {
      this.#closeDay(day);
      this.ctx.storage.sql.exec("DELETE FROM state WHERE key = 'day'");
      this.#day = undefined;
    }
    try {
      await this.flush();
    } catch (error) {
      log.warn('the views rollup did not take a shard’s counts; trying again', { error });
      await this.#alarmBy(Date.now() + FLUSH_RETRY_MS);
      return;
    }
    const open = this.#storedDay();
    if (open !== undefined) await this.#alarmBy(endOfDayMs(open));
  }
}

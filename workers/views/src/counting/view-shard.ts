import { DurableObject } from 'cloudflare:workers';
import { wipeStorage } from '@wp-edge/core';
import { daysBefore, endOfDayMs, utcDay } from './day.ts';

/** A page's key: `post:<id>` for a post, or its path (always starting with `/`). */
export type PageKey = string;

export interface PageCount {
  views: number;
  /** Daily unique visitors, summed over the days. */
  visitors: number;
}

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
}

export type RecordOutcome = 'counted' | 'repeat' | 'too-many-paths';

/** Days of per-day counts kept; `top` can look back this far. Older days live on in the totals. */
export const DAYS_KEPT = 90;

/** Each shard offers `top` at most this many of its most viewed posts. */
export const TOP_CANDIDATES = 1000;

/** How long a shard reuses its answer to `top` for the same number of days. */
const TOP_REUSE_MS = 5_000;

const SITE = '';

/** This shard's most viewed posts since a day: a search of the table's key, which starts with the day. */
export const TOP_QUERY =
  "SELECT page, SUM(views) AS views FROM page_days WHERE day >= ? AND page >= 'post:' AND page < 'post;' GROUP BY page ORDER BY views DESC LIMIT ?";

/** The key range of a page's kind: paths start with `/`, posts with `post:`. */
function kindRange(page: PageKey): [string, string] {
  return page.startsWith('post:') ? ['post:', 'post;'] : ['/', '0'];
}

/**
 * One shard of a site's view counts (SQLite storage). A visitor always lands on the same
 * shard, so each shard can tell on its own whether a visitor is new today or back within
 * the window, and the sums of all shards are exact. Each view is recorded by synchronous
 * SQL with no await in between, so concurrent views can never lose an increment. An alarm
 * at midnight forgets the day's visitor hashes even when no view comes after it. Tables:
 * storage-schema.md.
 */
export class ViewShard extends DurableObject<Env> {
  #day: string | undefined;
  #alarmDay: string | undefined;
  readonly #top = new Map<number, { atMs: number; views: Record<PageKey, number> }>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS page_days (day TEXT NOT NULL, page TEXT NOT NULL, views INTEGER NOT NULL, visitors INTEGER NOT NULL, PRIMARY KEY (day, page));
      CREATE TABLE IF NOT EXISTS page_totals (page TEXT PRIMARY KEY, views INTEGER NOT NULL, visitors INTEGER NOT NULL);
      DROP TABLE IF EXISTS seen_today;
      CREATE TABLE IF NOT EXISTS visits_today (page TEXT NOT NULL, visitor TEXT NOT NULL, counted_at_ms INTEGER NOT NULL, PRIMARY KEY (page, visitor));
      CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
  }

  /** Forgets this shard's counts, visitors, day and alarm (`sites remove`); returns the rows left per table. */
  async wipe(): Promise<Record<string, number>> {
    this.#day = undefined;
    this.#alarmDay = undefined;
    this.#top.clear();
    return wipeStorage(this.ctx.storage);
  }

  #storedDay(): string | undefined {
    return this.ctx.storage.sql
      .exec<{ value: string }>("SELECT value FROM state WHERE key = 'day'")
      .toArray()[0]?.value;
  }

  /** Moves the shard to `day` (never back), forgetting the visitors of the days before; returns the shard's day. */
  #startDay(day: string): string {
    if (this.#day !== undefined && this.#day >= day) return this.#day;
    const current = this.#storedDay();
    if (current !== undefined && current >= day) {
      this.#day = current;
      return current;
    }
    const sql = this.ctx.storage.sql;
    this.#day = day;
    sql.exec('DELETE FROM visits_today');
    sql.exec('DELETE FROM page_days WHERE day < ?', daysBefore(day, DAYS_KEPT));
    sql.exec(
      "INSERT INTO state (key, value) VALUES ('day', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      day,
    );
    return day;
  }

  /** Whether this view of the page counts, and whether the visitor is new to it today. */
  #visit(page: PageKey, visitor: string, atMs: number, windowMs: number) {
    const sql = this.ctx.storage.sql;
    const last = sql
      .exec<{ counted_at_ms: number }>(
        'SELECT counted_at_ms FROM visits_today WHERE page = ? AND visitor = ?',
        page,
        visitor,
      )
      .toArray()[0];
    if (last && atMs - last.counted_at_ms < windowMs) return { counts: false, newVisitor: 0 };
    sql.exec(
      'INSERT INTO visits_today (page, visitor, counted_at_ms) VALUES (?, ?, ?) ON CONFLICT (page, visitor) DO UPDATE SET counted_at_ms = excluded.counted_at_ms',
      page,
      visitor,
      atMs,
    );
    return { counts: true, newVisitor: last ? 0 : 1 };
  }

  #add(day: string, page: string, newVisitor: number): void {
    const sql = this.ctx.storage.sql;
    sql.exec(
      'INSERT INTO page_days (day, page, views, visitors) VALUES (?, ?, 1, ?) ON CONFLICT (day, page) DO UPDATE SET views = views + 1, visitors = visitors + excluded.visitors',
      day,
      page,
      newVisitor,
    );
    sql.exec(
      'INSERT INTO page_totals (page, views, visitors) VALUES (?, 1, ?) ON CONFLICT (page) DO UPDATE SET views = views + 1, visitors = visitors + excluded.visitors',
      page,
      newVisitor,
    );
  }

  #roomFor(page: PageKey, maxPages: number): boolean {
    const sql = this.ctx.storage.sql;
    if (sql.exec('SELECT 1 FROM page_totals WHERE page = ?', page).toArray().length > 0)
      return true;
    const [from, to] = kindRange(page);
    const kept = sql
      .exec<{ n: number }>(
        'SELECT COUNT(*) AS n FROM page_totals WHERE page >= ? AND page < ?',
        from,
        to,
      )
      .one().n;
    return kept < maxPages;
  }

  /**
   * Counts one view of a page at `atMs` by a visitor (a daily hash), for the page and for the
   * site, unless the visitor's last counted view of the page is within the window, or the
   * page is one the catalog does not vouch for and this shard already keeps as many as allowed.
   */
  async recordView(
    page: PageKey,
    visitor: string,
    atMs: number,
    rules: ViewRules,
  ): Promise<RecordOutcome> {
    const day = this.#startDay(utcDay(atMs));
    let outcome: RecordOutcome = 'too-many-paths';
    if (rules.maxUnvouchedPages === undefined || this.#roomFor(page, rules.maxUnvouchedPages)) {
      const visit = this.#visit(page, visitor, atMs, rules.windowMs);
      outcome = visit.counts ? 'counted' : 'repeat';
      if (visit.counts) {
        this.#add(day, page, visit.newVisitor);
        this.#add(day, SITE, this.#visit(SITE, visitor, atMs, 0).newVisitor);
      }
    }
    if (this.#alarmDay !== day) {
      await this.ctx.storage.setAlarm(endOfDayMs(day));
      this.#alarmDay = day;
    }
    return outcome;
  }

  /** At midnight: forget the visitors of the day that ended. An alarm before its day is over waits for the end. */
  override async alarm(): Promise<void> {
    const today = utcDay(Date.now());
    const day = this.#storedDay();
    if (day !== undefined && day >= today) await this.ctx.storage.setAlarm(endOfDayMs(day));
    else this.#startDay(today);
  }

  /** This shard's counts of the given pages (pages it never saw are left out). */
  countsOf(pages: PageKey[]): Record<PageKey, PageCount> {
    const placeholders = pages.map(() => '?').join(',');
    const rows = this.ctx.storage.sql
      .exec<{ page: string; views: number; visitors: number }>(
        `SELECT page, views, visitors FROM page_totals WHERE page IN (${placeholders})`,
        ...pages,
      )
      .toArray();
    return Object.fromEntries(
      rows.map((row) => [row.page, { views: row.views, visitors: row.visitors }]),
    );
  }

  /**
   * This shard's most viewed posts over the last `days` days (today included): a search of
   * the days' rows only (the table's key starts with the day), at most TOP_CANDIDATES of
   * them, and the same answer for 5 s, so `top` costs the same however many pages and
   * days are stored.
   */
  postViewsSince(days: number): Record<PageKey, number> {
    const nowMs = Date.now();
    const reused = this.#top.get(days);
    if (reused && nowMs - reused.atMs < TOP_REUSE_MS) return reused.views;
    const rows = this.ctx.storage.sql
      .exec<{ page: string; views: number }>(
        TOP_QUERY,
        daysBefore(utcDay(nowMs), days - 1),
        TOP_CANDIDATES,
      )
      .toArray();
    const views = Object.fromEntries(rows.map((row) => [row.page, row.views]));
    this.#top.set(days, { atMs: nowMs, views });
    return views;
  }

  /** The site's views and visitors today and in all, as this shard saw them. */
  siteTotals(): SiteTotals {
    const sql = this.ctx.storage.sql;
    const today = sql
      .exec<{ views: number; visitors: number }>(
        'SELECT views, visitors FROM page_days WHERE day = ? AND page = ?',
        utcDay(Date.now()),
        SITE,
      )
      .toArray()[0];
    const allTime = sql
      .exec<{ views: number; visitors: number }>(
        'SELECT views, visitors FROM page_totals WHERE page = ?',
        SITE,
      )
      .toArray()[0];
    return {
      today: today ?? { views: 0, visitors: 0 },
      allTime: allTime ?? { views: 0, visitors: 0 },
    };
  }
}

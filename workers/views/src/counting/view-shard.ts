import { DurableObject } from 'cloudflare:workers';
import { daysBefore, utcDay } from './day.ts';

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

/** Days of per-day counts kept; `top` can look back this far. Older days live on in the totals. */
export const DAYS_KEPT = 90;

const SITE = '';

/**
 * One shard of a site's view counts (SQLite storage). A visitor always lands on the same
 * shard, so each shard can tell on its own whether a visitor is new today, and the sums of
 * all shards are exact. Each view is recorded by synchronous SQL with no await in between,
 * so concurrent views can never lose an increment. Tables: storage-schema.md.
 */
export class ViewShard extends DurableObject<Env> {
  #day: string | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS page_days (day TEXT NOT NULL, page TEXT NOT NULL, views INTEGER NOT NULL, visitors INTEGER NOT NULL, PRIMARY KEY (day, page));
      CREATE TABLE IF NOT EXISTS page_totals (page TEXT PRIMARY KEY, views INTEGER NOT NULL, visitors INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS seen_today (page TEXT NOT NULL, visitor TEXT NOT NULL, PRIMARY KEY (page, visitor));
      CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
  }

  #startDay(day: string): void {
    if (this.#day === day) return;
    const sql = this.ctx.storage.sql;
    this.#day = day;
    const current = sql
      .exec<{ value: string }>("SELECT value FROM state WHERE key = 'day'")
      .toArray()[0];
    if (current?.value === day) return;
    sql.exec('DELETE FROM seen_today');
    sql.exec('DELETE FROM page_days WHERE day < ?', daysBefore(day, DAYS_KEPT));
    sql.exec(
      "INSERT INTO state (key, value) VALUES ('day', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      day,
    );
  }

  #firstVisitToday(page: string, visitor: string): number {
    const sql = this.ctx.storage.sql;
    const seen = sql
      .exec('SELECT 1 FROM seen_today WHERE page = ? AND visitor = ?', page, visitor)
      .toArray();
    if (seen.length > 0) return 0;
    sql.exec('INSERT INTO seen_today (page, visitor) VALUES (?, ?)', page, visitor);
    return 1;
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

  /** Counts one view of a page by a visitor (a daily hash), for the page and for the site. */
  recordView(page: PageKey, visitor: string): void {
    const day = utcDay(Date.now());
    this.#startDay(day);
    this.#add(day, page, this.#firstVisitToday(page, visitor));
    this.#add(day, SITE, this.#firstVisitToday(SITE, visitor));
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

  /** Views per post over the last `days` days (today included), as this shard saw them. */
  postViewsSince(days: number): Record<PageKey, number> {
    const since = daysBefore(utcDay(Date.now()), days - 1);
    const rows = this.ctx.storage.sql
      .exec<{ page: string; views: number }>(
        "SELECT page, SUM(views) AS views FROM page_days WHERE day >= ? AND page LIKE 'post:%' GROUP BY page",
        since,
      )
      .toArray();
    return Object.fromEntries(rows.map((row) => [row.page, row.views]));
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

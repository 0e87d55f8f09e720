import { DurableObject } from 'cloudflare:workers';
import { wipeStorage } from '@wp-edge/core';
import { daysBefore, utcDay } from './day.ts';
import type { PageCount, PageKey, SiteTotals } from './view-shard.ts';

/** One shard's count of a page on a day, as it stands: the shard sends it again whenever it grows. */
export type ShardDayCount = {
  /** Which part of the site's counts this is: the shard's number (or `<n>:legacy` for counts it kept before the rollup). */
  source: string;
  day: string;
  page: PageKey;
  views: number;
  visitors: number;
};

/** A post and its views over the days asked for. */
export type PostViews = { postId: number; views: number };

/** Days of per-day counts kept; `top` can look back this far. Older days live on in the totals. */
export const DAYS_KEPT = 90;

/** How long the rollup reuses its answer to `top` over more than one day. */
const TOP_REUSE_MS = 5_000;

/** The most posts `top` answers (TopQuery's limit): each sum is kept that long, for any limit. */
const TOP_MAX_LIMIT = 100;

const SITE = '';

/** The most viewed posts of one day: a walk of the day's index by views, `limit` rows and no more. */
export const TOP_OF_DAY_QUERY =
  'SELECT post_id AS postId, views FROM post_days WHERE day = ? ORDER BY views DESC, post_id LIMIT ?';

/** The most viewed posts since a day: the sums of the days' post rows (never the paths' or the site's). */
const TOP_SINCE_QUERY =
  'SELECT post_id AS postId, SUM(views) AS views FROM post_days WHERE day >= ? GROUP BY post_id ORDER BY views DESC, post_id LIMIT ?';

/**
 * A site's counts summed over its shards (SQLite storage), so a batch read, `top` and the
 * site's totals are one call to one object, never one per shard. Shards send what they
 * counted in the background (`ViewShard`'s flush); each sends a page's count of a day as it
 * stands, so a count sent twice, or late, is taken once: only what grew is added. Tables:
 * storage-schema.md.
 */
export class ViewRollup extends DurableObject<Env> {
  #keptFrom: string | undefined;
  readonly #top = new Map<number, { atMs: number; limit: number; rows: PostViews[] }>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS shard_days (day TEXT NOT NULL, page TEXT NOT NULL, source TEXT NOT NULL, views INTEGER NOT NULL, visitors INTEGER NOT NULL, PRIMARY KEY (day, page, source)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS page_days (day TEXT NOT NULL, page TEXT NOT NULL, views INTEGER NOT NULL, visitors INTEGER NOT NULL, PRIMARY KEY (day, page)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS post_days (day TEXT NOT NULL, post_id INTEGER NOT NULL, views INTEGER NOT NULL, PRIMARY KEY (day, post_id)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS post_days_by_views ON post_days (day, views DESC, post_id);
      CREATE TABLE IF NOT EXISTS page_totals (page TEXT PRIMARY KEY, views INTEGER NOT NULL, visitors INTEGER NOT NULL) WITHOUT ROWID;
    `);
  }

  /** Forgets the site's summed counts (`sites remove`); returns the rows left per table. */
  async wipe(): Promise<Record<string, number>> {
    this.#keptFrom = undefined;
    this.#top.clear();
    return wipeStorage(this.ctx.storage);
  }

  /** Drops the per-day rows older than DAYS_KEPT, once a day. */
  #forgetOldDays(nowMs: number): void {
    const keptFrom = daysBefore(utcDay(nowMs), DAYS_KEPT);
    if (this.#keptFrom === keptFrom) return;
    for (const table of ['shard_days', 'page_days', 'post_days'])
      this.ctx.storage.sql.exec(`DELETE FROM ${table} WHERE day < ?`, keptFrom);
    this.#keptFrom = keptFrom;
  }

  /** Takes shards' counts as they stand, adding to the sums only what grew since each was last sent. */
  apply(counts: ShardDayCount[]): void {
    this.#forgetOldDays(Date.now());
    const sql = this.ctx.storage.sql;
    for (const count of counts) {
      const last = sql
        .exec<PageCount>(
          'SELECT views, visitors FROM shard_days WHERE day = ? AND page = ? AND source = ?',
          count.day,
          count.page,
          count.source,
        )
        .toArray()[0] ?? { views: 0, visitors: 0 };
      const views = Math.max(0, count.views - last.views);
      const visitors = Math.max(0, count.visitors - last.visitors);
      if (views === 0 && visitors === 0) continue;
      sql.exec(
        'INSERT INTO shard_days (day, page, source, views, visitors) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET views = excluded.views, visitors = excluded.visitors',
        count.day,
        count.page,
        count.source,
        last.views + views,
        last.visitors + visitors,
      );
      this.#add(count.day, count.page, views, visitors);
    }
  }

  #add(day: string, page: PageKey, views: number, visitors: number): void {
    const sql = this.ctx.storage.sql;
    const upsert = 'ON CONFLICT DO UPDATE SET views = views + excluded.views';
    sql.exec(
      `INSERT INTO page_days (day, page, views, visitors) VALUES (?, ?, ?, ?) ${upsert}, visitors = visitors + excluded.visitors`,
      day,
      page,
      views,
      visitors,
    );
    sql.exec(
      `INSERT INTO page_totals (page, views, visitors) VALUES (?, ?, ?) ${upsert}, visitors = visitors + excluded.visitors`,
      page,
      views,
      visitors,
    );
    if (page.startsWith('post:') && views > 0)
      sql.exec(
        `INSERT INTO post_days (day, post_id, views) VALUES (?, ?, ?) ${upsert}`,
        day,
        Number(page.slice('post:'.length)),
        views,
      );
  }

  /** The site's counts of the given pages (pages never counted are left out). */
  countsOf(pages: PageKey[]): Record<PageKey, PageCount> {
    const rows = this.ctx.storage.sql
      .exec<{ page: string; views: number; visitors: number }>(
        `SELECT page, views, visitors FROM page_totals WHERE page IN (${pages.map(() => '?').join(',')})`,
        ...pages,
      )
      .toArray();
    return Object.fromEntries(
      rows.map((row) => [row.page, { views: row.views, visitors: row.visitors }]),
    );
  }

  /**
   * The `limit` most viewed posts over the last `days` days (today included). One day is a
   * walk of an index kept in views order; more days sum the days' post rows, and that
   * answer is reused for 5 s, so readers asking often cost one sum every 5 s.
   */
  topPosts(days: number, limit: number): PostViews[] {
    const nowMs = Date.now();
    const today = utcDay(nowMs);
    const sql = this.ctx.storage.sql;
    if (days === 1) return sql.exec<PostViews>(TOP_OF_DAY_QUERY, today, limit).toArray();
    const reused = this.#top.get(days);
    if (reused && nowMs - reused.atMs < TOP_REUSE_MS && reused.limit >= limit)
      return reused.rows.slice(0, limit);
    const fetched = Math.max(limit, TOP_MAX_LIMIT);
    const rows = sql
      .exec<PostViews>(TOP_SINCE_QUERY, daysBefore(today, days - 1), fetched)
      .toArray();
    this.#top.set(days, { atMs: nowMs, limit: fetched, rows });
    return rows.slice(0, limit);
  }

  /** The site's views and visitors today and in all. */
  siteTotals(): SiteTotals {
    const sql = this.ctx.storage.sql;
    const today = sql
      .exec<PageCount>(
        'SELECT views, visitors FROM page_days WHERE day = ? AND page = ?',
        utcDay(Date.now()),
        SITE,
      )
      .toArray()[0];
    const allTime = sql
      .exec<PageCount>('SELECT views, visitors FROM page_totals WHERE page = ?', SITE)
      .toArray()[0];
    return {
      today: today ?? { views: 0, visitors: 0 },
      allTime: allTime ?? { views: 0, visitors: 0 },
    };
  }
}

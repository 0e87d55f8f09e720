import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { daysBefore, utcDay } from '../src/counting/day.ts';
import { BEFORE_DAYS, moveLegacyCounts } from '../src/counting/legacy-shard-tables.ts';
import { rollupOf, shardOf } from '../src/counting/shards.ts';
import { TOP_OF_DAY_QUERY } from '../src/counting/view-rollup.ts';
import { FLUSH_DELAY_MS } from '../src/counting/view-shard.ts';
import { SHARD_COUNT } from '../src/counting/visitor.ts';
import { rowsOf } from './stored-counts.ts';
import { siteFor } from './views-client.ts';

const RULES = { windowMs: 0 };
const today = () => utcDay(Date.now());
const count = (day: string, page: string, views: number, visitors = views) => ({
  source: '0',
  day,
  page,
  views,
  visitors,
});

describe('the site’s rollup', () => {
  it('has a counted view in the batch read within FLUSH_DELAY_MS, with no reader asking the shards', async () => {
    const site = await siteFor('staleness');
    const beforeMs = Date.now();
    expect(await (await site.view({ postId: 1 })).json()).toEqual({ counted: true });
    const alarms = await Promise.all(
      Array.from({ length: SHARD_COUNT }, (_, shard) =>
        runInDurableObject(shardOf(env, 'staleness', shard), (_instance, state) =>
          state.storage.getAlarm(),
        ),
      ),
    );
    const set = alarms.filter((alarm) => alarm !== null);
    expect(set).toHaveLength(1);
    expect(set[0]).toBeGreaterThanOrEqual(beforeMs);
    expect(set[0]).toBeLessThanOrEqual(Date.now() + FLUSH_DELAY_MS);
    await expect
      .poll(
        async () => {
          const response = await exports.default.fetch(`${site.base}?posts=1`);
          return ((await response.json()) as { posts: Record<string, unknown> }).posts[1];
        },
        { timeout: 10_000 },
      )
      .toEqual({ views: 1, visitors: 1 });
  });

  it('takes a count sent twice, or an older one sent late, once', async () => {
    const rollup = rollupOf(env, 'resent');
    await rollup.apply([count(today(), 'post:1', 3)]);
    await rollup.apply([count(today(), 'post:1', 3)]);
    await rollup.apply([count(today(), 'post:1', 5)]);
    await rollup.apply([count(today(), 'post:1', 4)]);
    await rollup.apply([{ ...count(today(), 'post:1', 2), source: '1' }]);
    expect(await rollup.countsOf(['post:1', 'post:2'])).toEqual({
      'post:1': { views: 7, visitors: 7 },
    });
  });

  it('keeps a shard’s counts until the rollup has them, then only the visitors of today', async () => {
    const shard = shardOf(env, 'kept', 0);
    await shard.recordView('post:1', 'c'.repeat(64), Date.now() - 86_400_000, RULES);
    await runDurableObjectAlarm(shard);
    expect(await rowsOf(shard, 'closed_days')).toEqual([]);
    expect(await rowsOf(shard, 'visits_today')).toEqual([]);
    expect(await rollupOf(env, 'kept').siteTotals()).toEqual({
      today: { views: 0, visitors: 0 },
      allTime: { views: 1, visitors: 1 },
    });
  });
});

describe('the most viewed posts', () => {
  it('of one day are a walk of an index in views order, never a sort of the day’s rows', async () => {
    const plan = await runInDurableObject(rollupOf(env, 'top-plan'), (_instance, state) =>
      state.storage.sql
        .exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${TOP_OF_DAY_QUERY}`, '2026-01-01', 10)
        .toArray()
        .map((row) => row.detail)
        .join('\n'),
    );
    expect(plan).toMatch(/SEARCH post_days USING (COVERING )?INDEX post_days_by_views \(day=\?\)/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });

  it('come most viewed first among thousands of posts and paths, over the days asked for', async () => {
    const rollup = rollupOf(env, 'top-many');
    const yesterday = daysBefore(today(), 1);
    const counts = [];
    for (let post = 1; post <= 3000; post++) {
      counts.push(count(today(), `post:${post}`, post % 1000));
      counts.push(count(today(), `/page-${post}/`, 5000));
    }
    counts.push(count(yesterday, 'post:7', 2000));
    counts.push(count(daysBefore(today(), 10), 'post:8', 9000));
    for (let i = 0; i < counts.length; i += 500) await rollup.apply(counts.slice(i, i + 500));
    expect(await rollup.topPosts(1, 4)).toEqual([
      { postId: 999, views: 999 },
      { postId: 1999, views: 999 },
      { postId: 2999, views: 999 },
      { postId: 998, views: 998 },
    ]);
    const site = await siteFor('top-many');
    expect(await (await site.get('/top?days=7&limit=3')).json()).toEqual({
      days: 7,
      posts: [
        { postId: 7, views: 2007 },
        { postId: 999, views: 999 },
        { postId: 1999, views: 999 },
      ],
    });
  });
});

describe('a shard that kept its own counts before the rollup', () => {
  it('hands them to the rollup on its first flush, by day and before its kept days', async () => {
    const shard = shardOf(env, 'legacy', 5);
    await runInDurableObject(shard, (_instance, state) => {
      const sql = state.storage.sql;
      sql.exec(
        'CREATE TABLE page_days (day TEXT NOT NULL, page TEXT NOT NULL, views INTEGER NOT NULL, visitors INTEGER NOT NULL, PRIMARY KEY (day, page))',
      );
      sql.exec(
        'CREATE TABLE page_totals (page TEXT PRIMARY KEY, views INTEGER NOT NULL, visitors INTEGER NOT NULL)',
      );
      sql.exec("INSERT INTO page_days VALUES (?, 'post:1', 4, 3), (?, '', 4, 3)", today(), today());
      sql.exec("INSERT INTO page_totals VALUES ('post:1', 10, 8), ('', 10, 8)");
      moveLegacyCounts(sql, '5');
    });
    expect((await rowsOf(shard, 'closed_days')).map((row) => row.day).sort()).toEqual([
      BEFORE_DAYS,
      BEFORE_DAYS,
      today(),
      today(),
    ]);
    await shard.flush();
    const rollup = rollupOf(env, 'legacy');
    expect(await rollup.countsOf(['post:1'])).toEqual({ 'post:1': { views: 10, visitors: 8 } });
    expect(await rollup.siteTotals()).toEqual({
      today: { views: 4, visitors: 3 },
      allTime: { views: 10, visitors: 8 },
    });
    expect(await rowsOf(shard, 'closed_days')).toEqual([]);
  });
});

import type { PageCount, PageKey, SiteTotals } from './view-shard.ts';
import { SHARD_COUNT } from './visitor.ts';

/** The stub of one shard of a site's counts. */
export function shardOf(env: Env, siteId: string, shard: number) {
  return env.VIEW_SHARDS.get(env.VIEW_SHARDS.idFromName(`${siteId}:${shard}`));
}

function allShards(env: Env, siteId: string) {
  return Array.from({ length: SHARD_COUNT }, (_, shard) => shardOf(env, siteId, shard));
}

/** Empties every shard of a removed site; answers, per shard, the rows left (none). */
export function wipeSite(env: Env, siteId: string): Promise<Record<string, number>[]> {
  return Promise.all(allShards(env, siteId).map((shard) => shard.wipe()));
}

const zero = (): PageCount => ({ views: 0, visitors: 0 });

/** Every shard's counts of the pages, summed; pages never seen count zero. */
export async function countPages(
  env: Env,
  siteId: string,
  pages: PageKey[],
): Promise<Record<PageKey, PageCount>> {
  const parts = await Promise.all(allShards(env, siteId).map((shard) => shard.countsOf(pages)));
  const total: Record<PageKey, PageCount> = Object.fromEntries(pages.map((page) => [page, zero()]));
  for (const part of parts) {
    for (const [page, count] of Object.entries(part)) {
      const sum = total[page] ?? zero();
      total[page] = { views: sum.views + count.views, visitors: sum.visitors + count.visitors };
    }
  }
  return total;
}

/** The most viewed posts over the last `days` days, across every shard. */
export async function topPosts(env: Env, siteId: string, days: number, limit: number) {
  const parts = await Promise.all(
    allShards(env, siteId).map((shard) => shard.postViewsSince(days)),
  );
  const views = new Map<PageKey, number>();
  for (const part of parts) {
    for (const [page, count] of Object.entries(part))
      views.set(page, (views.get(page) ?? 0) + count);
  }
  return [...views]
    .map(([page, count]) => ({ postId: Number(page.slice('post:'.length)), views: count }))
    .sort((a, b) => b.views - a.views || a.postId - b.postId)
    .slice(0, limit);
}

/** The site's views and visitors, today and in all, across every shard. */
export async function siteTotals(env: Env, siteId: string): Promise<SiteTotals> {
  const parts = await Promise.all(allShards(env, siteId).map((shard) => shard.siteTotals()));
  const sum = (pick: (totals: SiteTotals) => PageCount): PageCount =>
    parts.reduce(
      (acc, part) => ({
        views: acc.views + pick(part).views,
        visitors: acc.visitors + pick(part).visitors,
      }),
      zero(),
    );
  return { today: sum((t) => t.today), allTime: sum((t) => t.allTime) };
}

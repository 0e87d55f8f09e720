import type { PageCount, PageKey, SiteTotals } from './view-shard.ts';
import { SHARDS_EVER } from './visitor.ts';

/** The stub of one shard of a site's counts. */
export function shardOf(env: Env, siteId: string, shard: number) {
  return env.VIEW_SHARDS.get(env.VIEW_SHARDS.idFromName(`${siteId}:${shard}`));
}

/** The stub of a site's rollup: its counts summed over the shards. */
export function rollupOf(env: Env, siteId: string) {
  return env.VIEW_ROLLUPS.get(env.VIEW_ROLLUPS.idFromName(siteId));
}

/** Every shard the site may have counts in: the ones of SHARD_COUNT, and any it used before. */
function allShards(env: Env, siteId: string) {
  return Array.from({ length: SHARDS_EVER }, (_, shard) => shardOf(env, siteId, shard));
}

/** Empties every shard and the rollup of a removed site; answers, per object, the rows left (none). */
export function wipeSite(env: Env, siteId: string): Promise<Record<string, number>[]> {
  return Promise.all([
    ...allShards(env, siteId).map((shard) => shard.wipe()),
    rollupOf(env, siteId).wipe(),
  ]);
}

/** Has every shard of the site send the rollup what it counted, so a read after it misses no view. */
export async function settle(env: Env, siteId: string): Promise<void> {
  await Promise.all(allShards(env, siteId).map((shard) => shard.flush()));
}

/** The site's counts of the pages, from its rollup (one call); pages never seen count zero. */
export async function countPages(
  env: Env,
  siteId: string,
  pages: PageKey[],
): Promise<Record<PageKey, PageCount>> {
  const counted = await rollupOf(env, siteId).countsOf(pages);
  return Object.fromEntries(
    pages.map((page) => [page, counted[page] ?? { views: 0, visitors: 0 }]),
  );
}

/** The most viewed posts over the last `days` days (ties by post id), from the site's rollup. */
export function topPosts(env: Env, siteId: string, days: number, limit: number) {
  return rollupOf(env, siteId).topPosts(days, limit);
}

/** The site's views and visitors, today and in all, from its rollup. */
export function siteTotals(env: Env, siteId: string): Promise<SiteTotals> {
  return rollupOf(env, siteId).siteTotals();
}

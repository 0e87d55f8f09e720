import { createLogger, TtlCache } from '@wp-edge/core';
import { catalogPosts, catalogSites } from '@wp-edge/core/db';
import { and, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';

/** The published post ids of a site's catalog, or undefined while its primary has published none. */
export type KnownPosts = ReadonlySet<number> | undefined;

/** The catalog is published every 30 s; a new post counts from the next refresh. */
const CATALOG_TTL_MS = 30_000;
const MAX_SITES = 256;

// The views Worker's catalog cache, owned by knownPosts: one entry per site, each kept
// CATALOG_TTL_MS, at most MAX_SITES. It keeps D1 off the hot path.
const catalogCache = new TtlCache<KnownPosts>(CATALOG_TTL_MS, MAX_SITES);

async function loadCatalog(db: D1Database, siteId: string): Promise<KnownPosts> {
  const orm = drizzle(db);
  const [site, posts] = await orm.batch([
    orm
      .select({ siteId: catalogSites.siteId })
      .from(catalogSites)
      .where(eq(catalogSites.siteId, siteId)),
    orm
      .select({ postId: catalogPosts.postId })
      .from(catalogPosts)
      .where(and(eq(catalogPosts.siteId, siteId), eq(catalogPosts.status, 'publish'))),
  ]);
  return site.length > 0 ? new Set(posts.map((post) => post.postId)) : undefined;
}

/**
 * The posts of a site's catalog (the one its primary's agent publishes to D1), from a
 * per-isolate cache: one D1 read per site every 30 s at most, never one per view. A D1
 * that cannot answer counts as no catalog, so views go on under the cap on unknown pages.
 */
export async function knownPosts(env: Env, siteId: string, nowMs: number): Promise<KnownPosts> {
  const cached = catalogCache.get(siteId, nowMs);
  if (cached) return cached.value;
  const posts = await loadCatalog(env.DB, siteId).catch((error: unknown) => {
    createLogger({ service: 'views' }).warn('post catalog unavailable', { siteId, error });
    return undefined;
  });
  catalogCache.set(siteId, posts, nowMs);
  return posts;
}

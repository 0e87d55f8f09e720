import { env, exports } from 'cloudflare:workers';
import { catalogPosts, catalogSites } from '@wp-edge/core/db';
import { bindingStore, createSite, requireSite } from '@wp-edge/core/provision';
import { drizzle } from 'drizzle-orm/d1';
import { settle } from '../src/counting/shards.ts';

export const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** Publishes the site's post catalog to D1, as its primary's agent does: these posts, published. */
export async function publishCatalog(siteId: string, postIds: number[]) {
  const db = drizzle(env.DB);
  await db.insert(catalogSites).values({
    siteId,
    siteUrl: `https://${siteId}.example`,
    updatedAt: Date.now(),
  });
  for (const postId of postIds) {
    await db.insert(catalogPosts).values({
      siteId,
      postId,
      status: 'publish',
      commentStatus: 'open',
      permalink: `https://${siteId}.example/?p=${postId}`,
      updatedAt: Date.now(),
    });
  }
}

/** Provisions a site answering to `<id>.example`, as the CLI does, and returns helpers that talk to the Worker as that site. */
export async function siteFor(id: string, settings: Record<string, unknown> = {}) {
  const host = `${id}.example`;
  const store = bindingStore(env.DB, env.SITE_CONFIG);
  // A table-driven test asks for its site once a row.
  if (!(await requireSite(store.db, id).catch(() => undefined)))
    await createSite(store, { id, hosts: [host], settings });
  const base = `https://${host}/api/views`;
  return {
    host,
    base,
    view(body: unknown, headers: Record<string, string> = {}) {
      return exports.default.fetch(base, {
        method: 'POST',
        body: typeof body === 'string' ? body : JSON.stringify(body),
        headers: { 'user-agent': BROWSER, 'cf-connecting-ip': '203.0.113.7', ...headers },
      });
    },
    /** A GET once the shards have sent the rollup what they counted (they do within FLUSH_DELAY_MS by themselves). */
    async get(path: string, headers: Record<string, string> = {}) {
      await settle(env, id);
      return exports.default.fetch(`${base}${path}`, { headers });
    },
    async counts(query: string) {
      await settle(env, id);
      const response = await exports.default.fetch(`${base}?${query}`);
      return (await response.json()) as {
        posts: Record<string, { views: number; visitors: number }>;
        paths: Record<string, { views: number; visitors: number }>;
      };
    },
  };
}

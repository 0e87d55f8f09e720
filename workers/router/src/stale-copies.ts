import { siteCache } from './cache/edge-cache.ts';
import { purgesCopy } from './cache/purges-copy.ts';
import { isUp } from './health/health-copy.ts';
import { toAnyNode } from './reads.ts';
import type { Routing } from './routing.ts';

/**
 * An anonymous, cacheable read: the edge cache's copy, else a node's answer (stored when it
 * may be). The page's stale copy is served instead when every node is known to be down (at
 * once, not after the nodes time out), when no node can be reached, or when one answers 5xx.
 */
export async function cachedRead(routing: Routing, url: URL): Promise<Response> {
  const { c, site } = routing;
  const waitUntil = (promise: Promise<unknown>) => c.executionCtx.waitUntil(promise);
  const cache = siteCache(site, purgesCopy(c.env, site.id, waitUntil), waitUntil);
  const hit = await cache.lookup(url);
  if (hit) return hit;
  if (!site.nodes.some((node) => node.weight > 0 && isUp(routing.health, node.id))) {
    const stale = await cache.stale(url);
    if (stale) return stale;
  }
  let response: Response;
  try {
    response = await toAnyNode(routing);
  } catch (error) {
    const stale = await cache.stale(url);
    if (stale) return stale;
    throw error;
  }
  if (response.status >= 500) {
    const stale = await cache.stale(url);
    if (stale) return stale;
  }
  return cache.store(url, c.req.method, response);
}

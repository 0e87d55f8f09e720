import type { Context } from 'hono';
import { siteCache } from './cache/edge-cache.ts';
import { purgesCopy } from './cache/purges-copy.ts';
import { isUp } from './health/health-copy.ts';
import { toAnyNode } from './reads.ts';
import type { RouterEnv, Routing } from './routing.ts';

// Pages this isolate is fetching anew while readers get their expired copy: one fetch each.
const revalidating = new Set<string>();

/** Fetches a page anew in the background and stores the answer, once per page at a time. */
function revalidate(routing: Routing, url: URL, cache: ReturnType<typeof siteCache>): void {
  const page = `${routing.site.id} ${url.href}`;
  if (revalidating.has(page)) return;
  revalidating.add(page);
  routing.c.executionCtx.waitUntil(
    toAnyNode(routing)
      .then((response) => cache.store(url, 'GET', response).body?.cancel())
      .catch(() => undefined)
      .finally(() => revalidating.delete(page)),
  );
}

/**
 * An anonymous, cacheable read: the edge cache's copy, else a node's answer (stored when it
 * may be). A copy that expired moments ago is served while one request fetches the new one,
 * so a popular page's expiry does not send every reader to the nodes at once. The page's stale
 * copy is served instead when every node is known to be down (at once, not after the nodes
 * time out), when no node can be reached, or when one answers 5xx. A hit waits on nothing but
 * the Cache API: `routing` (node health) is asked for only on a miss.
 */
export async function cachedRead(
  c: Context<RouterEnv>,
  url: URL,
  routing: () => Promise<Routing>,
): Promise<Response> {
  const { site } = c.var;
  const waitUntil = (promise: Promise<unknown>) => c.executionCtx.waitUntil(promise);
  const cache = siteCache(site, await purgesCopy(c.env, site.id, waitUntil), waitUntil);
  const hit = await cache.lookup(url);
  if (hit) return hit;
  const toNodes = await routing();
  if (!site.nodes.some((node) => node.weight > 0 && isUp(toNodes.health, node.id))) {
    const stale = await cache.stale(url);
    if (stale) return stale;
  } else if (c.req.method === 'GET') {
    const expired = await cache.expired(url);
    if (expired) {
      revalidate(toNodes, url, cache);
      return expired;
    }
  }
  let response: Response;
  try {
    response = await toAnyNode(toNodes);
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

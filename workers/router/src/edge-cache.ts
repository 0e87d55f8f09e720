import type { SiteSnapshot } from '@wp-edge/core';
import type { RegistryView } from './health/node-registry.ts';

const STALE_SECONDS = 7 * 86_400;
// When a copy was stored (ms), kept with it so a later purge of its page can be told apart.
const STORED_AT_HEADER = 'x-wp-edge-stored-at';

/** How a response relates to the edge cache, in the `x-wp-edge-cache` header. */
export type CacheStatus = 'HIT' | 'MISS' | 'BYPASS' | 'STALE';

function key(url: URL, generation: number, stale: boolean): Request {
  const keyed = new URL(url);
  keyed.searchParams.set('__wp_edge_cache', `${generation}${stale ? '-stale' : ''}`);
  return new Request(keyed.href, { method: 'GET' });
}

/** Whether a node's answer may be stored: a 200 HTML page that sets no cookie and is not private. */
export function storable(response: Response): boolean {
  const control = response.headers.get('cache-control') ?? '';
  return (
    response.status === 200 &&
    (response.headers.get('content-type') ?? '').includes('text/html') &&
    !response.headers.has('set-cookie') &&
    !/private|no-store/i.test(control)
  );
}

function marked(response: Response, status: CacheStatus): Response {
  const copy = new Response(response.body, response);
  copy.headers.set('x-wp-edge-cache', status);
  copy.headers.delete(STORED_AT_HEADER);
  return copy;
}

/**
 * The edge page cache (Cache API) for one site: keyed by URL and the site's cache
 * generation (a site-wide purge moves to the next one), with a long-lived stale copy
 * for when every node is down. A page purged after its copy was stored is a miss in every
 * location, as the registry's view says. Note the Cache API stores nothing on *.workers.dev.
 */
export function siteCache(
  site: SiteSnapshot,
  registry: Pick<RegistryView, 'cacheGeneration' | 'purgedPages'>,
  waitUntil: (promise: Promise<unknown>) => void,
) {
  const cache = caches.default;
  const generation = registry.cacheGeneration;
  const ttl = site.settings.cache.ttlSeconds;
  return {
    async lookup(url: URL): Promise<Response | undefined> {
      const hit = await cache.match(key(url, generation, false));
      if (!hit) return undefined;
      const purgedAtMs = registry.purgedPages[url.href];
      const storedAtMs = Number(hit.headers.get(STORED_AT_HEADER) ?? 0);
      if (purgedAtMs !== undefined && storedAtMs <= purgedAtMs) {
        await hit.body?.cancel();
        return undefined;
      }
      return marked(hit, 'HIT');
    },
    async stale(url: URL): Promise<Response | undefined> {
      const copy = await cache.match(key(url, generation, true));
      return copy ? marked(copy, 'STALE') : undefined;
    },
    /**
     * Stores a storable answer to a GET (fresh for the site's TTL, stale for a week) and marks
     * it. A HEAD's answer has no body to keep: storing it would serve empty pages.
     */
    store(url: URL, method: string, response: Response): Response {
      if (method !== 'GET' || ttl === 0 || !storable(response)) return marked(response, 'BYPASS');
      const fresh = new Response(response.clone().body, response);
      fresh.headers.set('cache-control', `public, max-age=${ttl}`);
      fresh.headers.set(STORED_AT_HEADER, String(Date.now()));
      const stale = new Response(response.clone().body, response);
      stale.headers.set('cache-control', `public, max-age=${STALE_SECONDS}`);
      waitUntil(
        Promise.all([
          cache.put(key(url, generation, false), fresh),
          cache.put(key(url, generation, true), stale),
        ]),
      );
      return marked(response, 'MISS');
    },
    /** Forgets one page in this location. */
    purge(url: URL): Promise<boolean> {
      return Promise.all([
        cache.delete(key(url, generation, false)),
        cache.delete(key(url, generation, true)),
      ]).then(([fresh]) => fresh);
    },
  };
}

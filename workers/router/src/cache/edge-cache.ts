import type { SiteSnapshot } from '@wp-edge/core';
import type { PurgeView } from './page-purges.ts';

/** How long the edge keeps a page's stale copy, for when every node is down. */
export const STALE_COPY_MS = 7 * 86_400_000;
// When a copy was stored (ms), kept with it so a later purge of its page can be told apart.
const STORED_AT_HEADER = 'x-wp-edge-stored-at';
// The origin's own Cache-Control, kept with a stored copy for the browsers it is served to:
// the stored copy's Cache-Control is the edge's lifetime, never theirs.
const ORIGIN_CACHE_CONTROL_HEADER = 'x-wp-edge-origin-cache-control';
// A stale copy is served while every node is down: browsers may show it, never keep it.
const STALE_CACHE_CONTROL = 'no-cache';

/**
 * How a response relates to the edge cache, in the `x-wp-edge-cache` header: `UPDATING` is an
 * expired copy served while the new one is fetched.
 */
export type CacheStatus = 'HIT' | 'MISS' | 'BYPASS' | 'STALE' | 'UPDATING';

/**
 * A copy's Cache API key: the page's address as the reader sent it, with the generation added
 * last (`p`: generations counted by `PagePurges`; keys from the registry's count before it are
 * never read). Added, never replacing: a reader's own `__wp_edge_cache` makes a page of its own.
 */
function key(url: URL, generation: number, stale: boolean): string {
  const separator = url.search === '' ? '?' : '&';
  return `${url.origin}${url.pathname}${url.search}${separator}__wp_edge_cache=p${generation}${stale ? '-stale' : ''}`;
}

/** Whether a Cache-Control header forbids a shared cache to keep the answer. */
function keptPrivate(control: string): boolean {
  return control.split(',').some((directive) => {
    const [name = '', value] = directive.trim().toLowerCase().split('=');
    if (name === 'no-cache' || name === 'no-store' || name === 'private') return true;
    return (name === 'max-age' || name === 's-maxage') && Number(value) === 0;
  });
}

/** Whether the answer differs by something other than compression: the edge keys by URL only. */
function variesByMore(vary: string | null): boolean {
  return (vary ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .some((name) => name !== '' && name !== 'accept-encoding');
}

/**
 * Whether a node's answer may be stored: a 200 HTML page that sets no cookie, varies by
 * nothing but `Accept-Encoding`, and whose Cache-Control allows a shared cache (not
 * `no-cache`, `no-store`, `private`, `max-age=0` or `s-maxage=0`).
 */
export function storable(response: Response): boolean {
  return (
    response.status === 200 &&
    (response.headers.get('content-type') ?? '').includes('text/html') &&
    !response.headers.has('set-cookie') &&
    !keptPrivate(response.headers.get('cache-control') ?? '') &&
    !variesByMore(response.headers.get('vary'))
  );
}

/** A stored copy as a browser gets it: with the origin's Cache-Control, or a short one if stale. */
function served(copy: Response, status: 'HIT' | 'STALE' | 'UPDATING'): Response {
  const answer = new Response(copy.body, copy);
  const origin = copy.headers.get(ORIGIN_CACHE_CONTROL_HEADER);
  if (status === 'STALE') answer.headers.set('cache-control', STALE_CACHE_CONTROL);
  else if (origin) answer.headers.set('cache-control', origin);
  else answer.headers.delete('cache-control');
  answer.headers.delete(ORIGIN_CACHE_CONTROL_HEADER);
  answer.headers.delete(STORED_AT_HEADER);
  answer.headers.set('x-wp-edge-cache', status);
  return answer;
}

function marked(response: Response, status: 'MISS' | 'BYPASS'): Response {
  const copy = new Response(response.body, response);
  copy.headers.set('x-wp-edge-cache', status);
  return copy;
}

/**
 * The edge page cache (Cache API) for one site: keyed by URL and the site's cache
 * generation (a site-wide purge moves to the next one), with a long-lived stale copy
 * for when every node is down. A page purged after its copy was stored is a miss in every
 * location, fresh and stale copy alike, as the site's `PagePurges` says. Note the Cache API
 * stores nothing on *.workers.dev.
 */
export function siteCache(
  site: SiteSnapshot,
  purges: PurgeView,
  waitUntil: (promise: Promise<unknown>) => void,
) {
  const cache = caches.default;
  const generation = purges.cacheGeneration;
  const { ttlSeconds: ttl, staleWhileRevalidateSeconds } = site.settings.cache;
  /** The copy stored under `key`, unless its page was purged since (or may have been). */
  const unpurged = async (url: URL, stored: string): Promise<Response | undefined> => {
    const copy = await cache.match(stored);
    if (!copy) return undefined;
    const purgedAtMs = purges.purgedPages[url.href];
    const storedAtMs = Number(copy.headers.get(STORED_AT_HEADER) ?? 0);
    if (
      (purgedAtMs !== undefined && storedAtMs <= purgedAtMs) ||
      storedAtMs <= purges.purgeHorizonMs
    ) {
      await copy.body?.cancel();
      return undefined;
    }
    return copy;
  };
  const stored = (response: Response, lifetimeSeconds: number): Response => {
    const copy = new Response(response.clone().body, response);
    const origin = response.headers.get('cache-control');
    if (origin) copy.headers.set(ORIGIN_CACHE_CONTROL_HEADER, origin);
    copy.headers.set('cache-control', `public, max-age=${lifetimeSeconds}`);
    copy.headers.set(STORED_AT_HEADER, String(Date.now()));
    return copy;
  };
  return {
    async lookup(url: URL): Promise<Response | undefined> {
      const hit = await unpurged(url, key(url, generation, false));
      return hit ? served(hit, 'HIT') : undefined;
    },
    async stale(url: URL): Promise<Response | undefined> {
      const copy = await unpurged(url, key(url, generation, true));
      return copy ? served(copy, 'STALE') : undefined;
    },
    /** The page's copy if it expired no more than `cache.staleWhileRevalidateSeconds` ago. */
    async expired(url: URL): Promise<Response | undefined> {
      if (staleWhileRevalidateSeconds === 0 || ttl === 0) return undefined;
      const copy = await unpurged(url, key(url, generation, true));
      if (!copy) return undefined;
      const ageMs = Date.now() - Number(copy.headers.get(STORED_AT_HEADER) ?? 0);
      if (ageMs > (ttl + staleWhileRevalidateSeconds) * 1000) {
        await copy.body?.cancel();
        return undefined;
      }
      return served(copy, 'UPDATING');
    },
    /**
     * Stores a storable answer to a GET (fresh for the site's TTL, stale for a week) and marks
     * it. A HEAD's answer has no body to keep: storing it would serve empty pages.
     */
    store(url: URL, method: string, response: Response): Response {
      if (method !== 'GET' || ttl === 0 || !storable(response)) return marked(response, 'BYPASS');
      waitUntil(
        Promise.all([
          cache.put(key(url, generation, false), stored(response, ttl)),
          cache.put(key(url, generation, true), stored(response, STALE_COPY_MS / 1000)),
        ]),
      );
      return marked(response, 'MISS');
    },
  };
}

/** Forgets one page's fresh and stale copies of this cache generation in this location. */
export function purgeCopies(url: URL, generation: number): Promise<boolean> {
  const cache = caches.default;
  return Promise.all([
    cache.delete(key(url, generation, false)),
    cache.delete(key(url, generation, true)),
  ]).then(([fresh]) => fresh);
}

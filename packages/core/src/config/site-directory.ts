import { RefreshingCache } from '../refreshing-cache.ts';
import { readSnapshot, type SiteSnapshot, snapshotKey } from './snapshot.ts';

// A snapshot older than this is renewed in the background while it is served.
const REFRESH_AFTER_MS = 5_000;
// Never served older than this: an isolate no request reached for a while reads KV first.
const MAX_STALE_MS = 30_000;
// Host names come from requests, so anyone can ask for new ones: past this many the cache
// starts afresh rather than grow without bound.
const MAX_ENTRIES = 10_000;

/** The one KV read this needs; a Workers KV namespace binding has it. */
export interface KvReader {
  get(key: string, type: 'json'): Promise<unknown>;
}

const cache = new RefreshingCache<SiteSnapshot | undefined>({
  refreshAfterMs: REFRESH_AFTER_MS,
  maxStaleMs: MAX_STALE_MS,
  maxEntries: MAX_ENTRIES,
});

/**
 * Finds the site a host name belongs to from its KV snapshot. Answers (found or not) are
 * kept in the isolate: KV is read once per host, then again in the background (`waitUntil`)
 * when the copy is over 5 s old, so no request waits on KV while its host has traffic; a copy
 * over 30 s old is read again before it is used. A republished snapshot is seen within 5 s
 * and one KV read under traffic, and within 30 s at worst.
 * @example
 * const site = await findSite(env.SITE_CONFIG, new URL(c.req.url).hostname, {
 *   waitUntil: (promise) => c.executionCtx.waitUntil(promise),
 * });
 */
export function findSite(
  kv: KvReader,
  host: string,
  {
    waitUntil = (promise) => void promise,
    nowMs = Date.now(),
  }: { waitUntil?: (promise: Promise<unknown>) => void; nowMs?: number } = {},
): SiteSnapshot | undefined | Promise<SiteSnapshot | undefined> {
  const key = snapshotKey(host);
  return cache.get(
    key,
    async () => {
      const stored = await kv.get(key, 'json');
      return stored === null ? undefined : readSnapshot(key, stored);
    },
    waitUntil,
    nowMs,
  );
}

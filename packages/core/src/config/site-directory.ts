import { TtlCache } from '../ttl-cache.ts';
import { readSnapshot, type SiteSnapshot, snapshotKey } from './snapshot.ts';

const TTL_MS = 5_000;
// Host names come from requests, so anyone can ask for new ones: past this many the cache
// starts afresh rather than grow without bound.
const MAX_ENTRIES = 10_000;

/** The one KV read this needs; a Workers KV namespace binding has it. */
export interface KvReader {
  get(key: string, type: 'json'): Promise<unknown>;
}

/**
 * Finds the site a host name belongs to from its KV snapshot. Answers (found or not) are
 * kept in the isolate for 5 s, so the hot path reads KV once per host every few seconds.
 * The cache is module-level state with a clear owner, a TTL and a bound on its size.
 * @example
 * const site = await findSite(env.SITE_CONFIG, new URL(c.req.url).hostname);
 */
export async function findSite(
  kv: KvReader,
  host: string,
  nowMs: number = Date.now(),
): Promise<SiteSnapshot | undefined> {
  const key = snapshotKey(host);
  const cached = cache.get(key, nowMs);
  if (cached) return cached.value;
  const stored = await kv.get(key, 'json');
  const site = stored === null ? undefined : readSnapshot(key, stored);
  cache.set(key, site, nowMs);
  return site;
}

const cache = new TtlCache<SiteSnapshot | undefined>(TTL_MS, MAX_ENTRIES);

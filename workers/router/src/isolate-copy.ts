import { RefreshingCache } from '@wp-edge/core';

// Copies older than this are renewed in the background while they are served.
const REFRESH_AFTER_MS = 5_000;
// Never used older than this: an isolate no request reached for a while asks the object first.
export const MAX_STALE_MS = 30_000;
// Sites per kind of copy, as many as the site snapshots `findSite` keeps.
const MAX_SITES = 10_000;

/**
 * Copies, per site, of one kind of state a Durable Object owns, as this isolate last heard
 * it (module-level: one per owning module). The first request of a site waits for the object
 * once; then a copy over 5 s old is served while one background read renews it, so the hot path
 * does not wait on the object, and a copy over 30 s old is read again before it is used.
 */
export function isolateCopies<T>(): RefreshingCache<T> {
  return new RefreshingCache<T>({
    refreshAfterMs: REFRESH_AFTER_MS,
    maxStaleMs: MAX_STALE_MS,
    maxEntries: MAX_SITES,
  });
}

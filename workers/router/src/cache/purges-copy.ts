import { isolateCopies } from '../isolate-copy.ts';
import { type PurgeView, purgesOf } from './page-purges.ts';

// Per isolate and site: the router's copy of the site's purges (`isolate-copy.ts` bounds its age).
const copies = isolateCopies<PurgeView>();

/**
 * The site's cache generation and page purges as this isolate last heard them. The first
 * cached read of a site in an isolate waits for them: without them a page purged elsewhere,
 * or a copy of an older generation, could be served.
 */
export function purgesCopy(
  env: Env,
  siteId: string,
  waitUntil: (promise: Promise<unknown>) => void,
): PurgeView | Promise<PurgeView> {
  return copies.get(siteId, () => purgesOf(env, siteId).view(), waitUntil);
}

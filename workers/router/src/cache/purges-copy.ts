import { type IsolateCopies, isolateCopy } from '../isolate-copy.ts';
import { type PurgeView, purgesOf } from './page-purges.ts';

// Per isolate and site: the router's copy of the site's purges, at most a few seconds old.
const copies: IsolateCopies<PurgeView> = new Map();

/** The site's cache generation and page purges as this isolate last heard them. */
export function purgesCopy(
  env: Env,
  siteId: string,
  waitUntil: (promise: Promise<unknown>) => void,
): PurgeView {
  return isolateCopy(
    copies,
    siteId,
    () => ({ cacheGeneration: 0, purgedPages: {}, purgeHorizonMs: 0 }),
    () => purgesOf(env, siteId).view(),
    waitUntil,
  );
}

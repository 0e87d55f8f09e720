import type { AgentCaller, PurgeAnswer } from '@wp-edge/core';
import { purgeCopies } from '../cache/edge-cache.ts';
import { pageUrls, purgesOf } from '../cache/page-purges.ts';
import { siteRecord } from './site-record.ts';

/** Forgets these pages' copies in this location at once; answers how many there were. */
export async function purgeHere(
  purges: ReturnType<typeof purgesOf>,
  urls: string[],
): Promise<number> {
  if (urls.length === 0) return 0;
  const { cacheGeneration } = await purges.view();
  const purged = await Promise.all(urls.map((url) => purgeCopies(new URL(url), cacheGeneration)));
  return purged.filter(Boolean).length;
}

/**
 * Purges pages of the caller's site, named by path, on every host of the site: in this
 * location at once, everywhere else when each location's copy of the purges refreshes.
 * Returns how many copies went here.
 */
export async function purgePages(
  env: Env,
  { siteId }: AgentCaller,
  paths: string[],
): Promise<number> {
  if (paths.length === 0) return 0;
  const { hosts } = await siteRecord(env.DB, siteId);
  const urls = pageUrls(hosts, [...new Set(paths)]);
  const purges = purgesOf(env, siteId);
  await purges.purgePages(urls);
  return purgeHere(purges, urls);
}

/** `POST /agent/purge`: the named pages, or with none the whole site (a new cache generation). */
export async function purge(
  env: Env,
  caller: AgentCaller,
  pages: string[] | undefined,
): Promise<PurgeAnswer> {
  if (!pages)
    return { purged: 'site', cacheGeneration: await purgesOf(env, caller.siteId).purgeSite() };
  return { purged: 'pages', pages: await purgePages(env, caller, pages) };
}

import type { SiteSnapshot, StoredComment } from '@wp-edge/core';
import { runPrepared } from '@wp-edge/core/db';
import { duplicateRead, readSiteFacts, type SiteFacts } from './site-facts.ts';
import { dedupeKeyOf } from './store-comment.ts';
import type { Submission } from './submission.ts';
import { filterLikeWordPress, homeHostOf } from './wordpress-filters.ts';

/**
 * The home host each site's last comment in this isolate was filtered with. WordPress's
 * filter needs the host before the duplicate key can be computed, and the host is in the
 * same D1 batch as the duplicate read; so the filter runs with the host last seen, and the
 * batch's catalog row confirms it (or the comment is filtered and checked again).
 */
const homeHosts = new Map<string, string>();

/** A submission as WordPress would store it, its duplicate key, and the facts the rules judge it on. */
export interface Filtered {
  stored: StoredComment;
  dedupeKey: string;
  facts: SiteFacts;
}

/** Filters a submission as WordPress would and reads the rules' facts, in one D1 round trip when the home host is known. */
export async function filterAndReadFacts(
  d1: D1Database,
  site: SiteSnapshot,
  submission: Submission,
  request: { userAgent: string; ip: string },
  limits: { addressKey: string; windowStartMs: number },
): Promise<Filtered> {
  const fallbackHost = site.hosts[0] ?? '';
  const assumedHost = homeHosts.get(site.id) ?? fallbackHost;
  const filter = async (homeHost: string) => {
    const stored = filterLikeWordPress(submission, { ...request, homeHost });
    const filtered = { ...submission, ...stored };
    return { stored, filtered, dedupeKey: await dedupeKeyOf(filtered) };
  };
  const assumed = await filter(assumedHost);
  const facts = await readSiteFacts(d1, site, {
    ...limits,
    ...assumed,
    submission: assumed.filtered,
  });
  const homeHost = homeHostOf(facts.siteUrl, fallbackHost);
  homeHosts.set(site.id, homeHost);
  if (homeHost === assumedHost) return { ...assumed, facts };
  const actual = await filter(homeHost);
  const [duplicate] = await runPrepared(d1, [duplicateRead(d1, site.id, actual.dedupeKey)]);
  return { ...actual, facts: { ...facts, duplicate: duplicate.length > 0 } };
}

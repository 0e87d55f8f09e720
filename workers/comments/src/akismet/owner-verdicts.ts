import { createLogger, SiteSettings } from '@wp-edge/core';
import { catalogPosts, catalogSites, comments, sites } from '@wp-edge/core/db';
import { and, eq, inArray } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type { StatusChange } from '../agent/moderation.ts';
import { akismetFields, submitVerdict } from './akismet.ts';

// D1 binds at most 100 parameters to a statement; the site id takes one.
const IDS_PER_LOOKUP = 90;

/** What the owner's change tells Akismet: a comment marked spam, or one taken out of spam. */
export function verdictOf(change: StatusChange): 'spam' | 'ham' | undefined {
  if (change.to === 'spam' && change.from !== 'spam') return 'spam';
  if (change.from === 'spam' && (change.to === 'approved' || change.to === 'held')) return 'ham';
  return undefined;
}

/**
 * Sends Akismet the owner's verdicts (`submit-spam`, `submit-ham`) for the site's status
 * changes, when the site has an Akismet key, as WordPress's Akismet plugin does when a comment
 * is marked spam or not spam. The moderation is already stored; a failed call is logged.
 */
export async function sendAkismetVerdicts(
  apiUrl: string,
  db: DrizzleD1Database,
  siteId: string,
  changes: StatusChange[],
): Promise<void> {
  const verdicts = changes.flatMap((change) => {
    const verdict = verdictOf(change);
    return verdict ? [{ commentId: change.commentId, verdict }] : [];
  });
  if (verdicts.length === 0) return;
  const [site] = await db
    .select({ settings: sites.settings })
    .from(sites)
    .where(eq(sites.id, siteId));
  const settings = SiteSettings.parse(site?.settings ?? {}).comments;
  if (!settings.akismetKey) return;
  const [catalog] = await db
    .select({ siteUrl: catalogSites.siteUrl, locale: catalogSites.locale })
    .from(catalogSites)
    .where(eq(catalogSites.siteId, siteId));
  const rows = [];
  for (let start = 0; start < verdicts.length; start += IDS_PER_LOOKUP) {
    const ids = verdicts.slice(start, start + IDS_PER_LOOKUP).map((item) => item.commentId);
    rows.push(
      ...(await db
        .select({ comment: comments, permalink: catalogPosts.permalink })
        .from(comments)
        .leftJoin(
          catalogPosts,
          and(eq(catalogPosts.siteId, comments.siteId), eq(catalogPosts.postId, comments.postId)),
        )
        .where(and(eq(comments.siteId, siteId), inArray(comments.id, ids)))),
    );
  }
  const logger = createLogger({ service: 'comments', part: 'akismet' });
  const blog = catalog?.siteUrl ?? '';
  for (const { commentId, verdict } of verdicts) {
    const row = rows.find((candidate) => candidate.comment.id === commentId);
    if (!row) continue;
    const fields = akismetFields(row.comment, {
      blog,
      permalink: row.permalink ?? '',
      blogLang: settings.akismetBlogLang ?? catalog?.locale ?? undefined,
    });
    await submitVerdict(apiUrl, settings.akismetKey, verdict, fields).catch((error: unknown) =>
      logger.error('Akismet verdict not sent', { commentId, verdict, error }),
    );
  }
}

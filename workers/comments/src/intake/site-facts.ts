import { catalogPosts, catalogSites, comments } from '@wp-edge/core/db';
import { and, count, desc, eq, gt, ne } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type { Submission } from './submission.ts';

/** Everything the rules need to know about a submission, read from D1 in one round trip. */
export interface SiteFacts {
  catalogPublished: boolean;
  siteUrl: string | undefined;
  /** The primary's WordPress locale, as its agent last published it. */
  locale: string | undefined;
  post:
    | { status: string; commentStatus: string; permalink: string; passwordProtected: boolean }
    | undefined;
  duplicate: boolean;
  lastFromAddressAtMs: number | undefined;
  recentFromAddress: number;
  returningAuthor: boolean;
}

export async function readSiteFacts(
  db: DrizzleD1Database,
  siteId: string,
  submission: Submission,
  dedupeKey: string,
  addressKey: string,
  windowStartMs: number,
): Promise<SiteFacts> {
  const [site, post, duplicate, last, recent, returning] = await db.batch([
    db
      .select({ siteUrl: catalogSites.siteUrl, locale: catalogSites.locale })
      .from(catalogSites)
      .where(eq(catalogSites.siteId, siteId)),
    db
      .select({
        status: catalogPosts.status,
        commentStatus: catalogPosts.commentStatus,
        permalink: catalogPosts.permalink,
        passwordProtected: catalogPosts.passwordProtected,
      })
      .from(catalogPosts)
      .where(and(eq(catalogPosts.siteId, siteId), eq(catalogPosts.postId, submission.postId))),
    db
      .select({ id: comments.id })
      .from(comments)
      .where(
        and(
          eq(comments.siteId, siteId),
          eq(comments.dedupeKey, dedupeKey),
          ne(comments.status, 'trash'),
        ),
      )
      .limit(1),
    db
      .select({ createdAt: comments.createdAt })
      .from(comments)
      .where(and(eq(comments.siteId, siteId), eq(comments.addressKey, addressKey)))
      .orderBy(desc(comments.createdAt))
      .limit(1),
    db
      .select({ n: count() })
      .from(comments)
      .where(
        and(
          eq(comments.siteId, siteId),
          eq(comments.addressKey, addressKey),
          gt(comments.createdAt, windowStartMs),
        ),
      ),
    db
      .select({ id: comments.id })
      .from(comments)
      .where(
        and(
          eq(comments.siteId, siteId),
          eq(comments.authorEmail, submission.email),
          eq(comments.author, submission.author),
          eq(comments.status, 'approved'),
        ),
      )
      .limit(1),
  ]);
  return {
    catalogPublished: site.length > 0,
    siteUrl: site[0]?.siteUrl,
    locale: site[0]?.locale ?? undefined,
    post: post[0],
    duplicate: duplicate.length > 0,
    lastFromAddressAtMs: last[0]?.createdAt,
    recentFromAddress: recent[0]?.n ?? 0,
    returningAuthor: submission.email !== '' && returning.length > 0,
  };
}

import { SiteSettings } from '@wp-edge/core';
import { catalogPosts, catalogSites, comments, sites } from '@wp-edge/core/db';
import { and, eq, inArray } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { akismetFields } from './akismet.ts';

// D1 binds at most 100 parameters to a statement; the site id takes one.
const IDS_PER_LOOKUP = 90;

/** An owner's verdict on one edge comment, for Akismet. */
export interface Verdict {
  commentId: string;
  verdict: 'spam' | 'ham';
}

/**
 * The site's Akismet key and each comment's fields as WordPress's Akismet plugin sends them
 * with `submit-spam`/`submit-ham`; no key when the site has none, no fields for a comment gone.
 */
export async function verdictRequests(db: DrizzleD1Database, siteId: string, ids: string[]) {
  const [site] = await db
    .select({ settings: sites.settings })
    .from(sites)
    .where(eq(sites.id, siteId));
  const settings = SiteSettings.parse(site?.settings ?? {}).comments;
  if (!settings.akismetKey) return { key: undefined, fields: new Map<string, URLSearchParams>() };
  const [catalog] = await db
    .select({ siteUrl: catalogSites.siteUrl, locale: catalogSites.locale })
    .from(catalogSites)
    .where(eq(catalogSites.siteId, siteId));
  const fields = new Map<string, URLSearchParams>();
  for (let start = 0; start < ids.length; start += IDS_PER_LOOKUP) {
    const rows = await db
      .select({ comment: comments, permalink: catalogPosts.permalink })
      .from(comments)
      .leftJoin(
        catalogPosts,
        and(eq(catalogPosts.siteId, comments.siteId), eq(catalogPosts.postId, comments.postId)),
      )
      .where(
        and(
          eq(comments.siteId, siteId),
          inArray(comments.id, ids.slice(start, start + IDS_PER_LOOKUP)),
        ),
      );
    for (const row of rows)
      fields.set(
        row.comment.id,
        akismetFields(row.comment, {
          blog: catalog?.siteUrl ?? '',
          permalink: row.permalink ?? '',
          blogLang: settings.akismetBlogLang ?? catalog?.locale ?? undefined,
        }),
      );
  }
  return { key: settings.akismetKey, fields };
}

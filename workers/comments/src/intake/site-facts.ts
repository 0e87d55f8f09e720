import type { SiteSnapshot } from '@wp-edge/core';
import { catalogPosts, catalogSites, comments, preparedQuery, runPrepared } from '@wp-edge/core/db';
import { and, count, desc, eq, gt, ne, sql } from 'drizzle-orm';
import { type Parent, parentFrom, parentReads } from './parent.ts';
import type { Submission } from './submission.ts';

/** Everything the rules need to know about a submission, read from D1 in one round trip (queries prepared once per isolate). */
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
  /** The comment a reply answers; undefined for a top-level comment or a parent not found. */
  parent: Parent | undefined;
}

/** What a submission is checked against: its filtered fields and the keys derived from them. */
export interface Asked {
  submission: Submission;
  dedupeKey: string;
  addressKey: string;
  /** Comments from the address after this count against the rate limit. */
  windowStartMs: number;
}

const placeholder = sql.placeholder;

/** The read behind WordPress's duplicate rule: a comment with the same key that is not in the trash. */
const duplicateQuery = preparedQuery((db) =>
  db
    .select({ id: comments.id })
    .from(comments)
    .where(
      and(
        eq(comments.siteId, placeholder('siteId')),
        eq(comments.dedupeKey, placeholder('dedupeKey')),
        ne(comments.status, 'trash'),
      ),
    )
    .limit(1),
);

export const duplicateRead = (d1: D1Database, siteId: string, dedupeKey: string) =>
  duplicateQuery(d1, { siteId, dedupeKey });

const catalogSiteQuery = preparedQuery((db) =>
  db
    .select({ siteUrl: catalogSites.siteUrl, locale: catalogSites.locale })
    .from(catalogSites)
    .where(eq(catalogSites.siteId, placeholder('siteId'))),
);

const catalogPostQuery = preparedQuery((db) =>
  db
    .select({
      status: catalogPosts.status,
      commentStatus: catalogPosts.commentStatus,
      permalink: catalogPosts.permalink,
      passwordProtected: catalogPosts.passwordProtected,
    })
    .from(catalogPosts)
    .where(
      and(
        eq(catalogPosts.siteId, placeholder('siteId')),
        eq(catalogPosts.postId, placeholder('postId')),
      ),
    ),
);

const lastFromAddressQuery = preparedQuery((db) =>
  db
    .select({ createdAt: comments.createdAt })
    .from(comments)
    .where(
      and(
        eq(comments.siteId, placeholder('siteId')),
        eq(comments.addressKey, placeholder('addressKey')),
      ),
    )
    .orderBy(desc(comments.createdAt))
    .limit(1),
);

const recentFromAddressQuery = preparedQuery((db) =>
  db
    .select({ n: count() })
    .from(comments)
    .where(
      and(
        eq(comments.siteId, placeholder('siteId')),
        eq(comments.addressKey, placeholder('addressKey')),
        gt(comments.createdAt, placeholder('windowStartMs')),
      ),
    ),
);

const returningAuthorQuery = preparedQuery((db) =>
  db
    .select({ id: comments.id })
    .from(comments)
    .where(
      and(
        eq(comments.siteId, placeholder('siteId')),
        eq(comments.authorEmail, placeholder('email')),
        eq(comments.author, placeholder('author')),
        eq(comments.status, 'approved'),
      ),
    )
    .limit(1),
);

function ruleReads(d1: D1Database, siteId: string, asked: Asked) {
  const { submission, dedupeKey, addressKey, windowStartMs } = asked;
  const fromAddress = { siteId, addressKey };
  return [
    catalogSiteQuery(d1, { siteId }),
    catalogPostQuery(d1, { siteId, postId: submission.postId }),
    duplicateRead(d1, siteId, dedupeKey),
    lastFromAddressQuery(d1, fromAddress),
    recentFromAddressQuery(d1, { ...fromAddress, windowStartMs }),
    returningAuthorQuery(d1, { siteId, email: submission.email, author: submission.author }),
  ] as const;
}

/** The rows of `ruleReads`, in its order; a reply's batch has the parent's after them. */
type RuleRows = readonly [
  { siteUrl: string; locale: string | null }[],
  NonNullable<SiteFacts['post']>[],
  { id: string }[],
  { createdAt: number }[],
  { n: number }[],
  { id: string }[],
  ...unknown[],
];

function factsFrom(submission: Submission, rows: RuleRows, parent: Parent | undefined): SiteFacts {
  const [site, post, duplicate, last, recent, returning] = rows;
  return {
    catalogPublished: site.length > 0,
    siteUrl: site[0]?.siteUrl,
    locale: site[0]?.locale ?? undefined,
    post: post[0],
    duplicate: duplicate.length > 0,
    lastFromAddressAtMs: last[0]?.createdAt,
    recentFromAddress: recent[0]?.n ?? 0,
    returningAuthor: submission.email !== '' && returning.length > 0,
    parent,
  };
}

/**
 * Reads every fact the rules need in one D1 batch: the site's and the post's catalog rows,
 * the duplicate, flood, rate and returning-author reads, and a reply's parent.
 */
export async function readSiteFacts(
  d1: D1Database,
  site: SiteSnapshot,
  asked: Asked,
): Promise<SiteFacts> {
  const reads = ruleReads(d1, site.id, asked);
  const { parentWpId, renderedBy } = asked.submission;
  if (parentWpId === 0) return factsFrom(asked.submission, await runPrepared(d1, reads), undefined);
  const [edge, native] = parentReads(d1, site, parentWpId, renderedBy);
  const rows = await runPrepared(d1, [...reads, edge, native]);
  return factsFrom(asked.submission, rows, parentFrom(rows[6], rows[7]));
}

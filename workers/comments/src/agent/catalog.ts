import type { CatalogUpdate } from '@wp-edge/core';
import { catalogComments, catalogPosts, catalogSites } from '@wp-edge/core/db';
import { and, eq } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { DrizzleD1Database } from 'drizzle-orm/d1';

/** Applies one incremental catalog publish of a site's primary in one D1 batch. */
export async function applyCatalog(
  db: DrizzleD1Database,
  siteId: string,
  update: CatalogUpdate,
  nowMs: number,
) {
  const statements: BatchItem<'sqlite'>[] = [];
  if (update.siteUrl) {
    statements.push(
      db
        .insert(catalogSites)
        .values({ siteId, siteUrl: update.siteUrl, locale: update.locale, updatedAt: nowMs })
        .onConflictDoUpdate({
          target: catalogSites.siteId,
          set: {
            siteUrl: update.siteUrl,
            ...(update.locale ? { locale: update.locale } : {}),
            updatedAt: nowMs,
          },
        }),
    );
  }
  for (const post of update.posts) {
    const values = {
      status: post.status,
      commentStatus: post.commentStatus,
      permalink: post.permalink,
      passwordProtected: post.passwordProtected,
      updatedAt: nowMs,
    };
    statements.push(
      db
        .insert(catalogPosts)
        .values({ siteId, postId: post.id, ...values })
        .onConflictDoUpdate({ target: [catalogPosts.siteId, catalogPosts.postId], set: values }),
    );
  }
  for (const id of update.removedPosts) {
    statements.push(
      db
        .delete(catalogPosts)
        .where(and(eq(catalogPosts.siteId, siteId), eq(catalogPosts.postId, id))),
    );
  }
  for (const comment of update.comments) {
    statements.push(
      db
        .insert(catalogComments)
        .values({ siteId, wpId: comment.id, postId: comment.postId, approved: comment.approved })
        .onConflictDoUpdate({
          target: [catalogComments.siteId, catalogComments.wpId],
          set: { postId: comment.postId, approved: comment.approved },
        }),
    );
  }
  for (const id of update.removedComments) {
    statements.push(
      db
        .delete(catalogComments)
        .where(and(eq(catalogComments.siteId, siteId), eq(catalogComments.wpId, id))),
    );
  }
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
  return {
    posts: update.posts.length,
    removedPosts: update.removedPosts.length,
    comments: update.comments.length,
    removedComments: update.removedComments.length,
  };
}

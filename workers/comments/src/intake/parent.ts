import { type CommentStatus, type SiteSnapshot, statusOfApproved } from '@wp-edge/core';
import { catalogComments, commentLocations, comments } from '@wp-edge/core/db';
import { and, eq } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';

/**
 * The comment a reply answers: its post, whether it can be answered (`gone` for spam and
 * trash, `held` while awaiting moderation), and its edge id when it is an edge comment.
 */
export interface Parent {
  postId: number;
  state: 'answerable' | 'held' | 'gone';
  edgeId: string | undefined;
}

const STATE_OF: Record<CommentStatus, Parent['state']> = {
  approved: 'answerable',
  held: 'held',
  spam: 'gone',
  trash: 'gone',
};

/**
 * Finds a reply's parent. `parentWpId` is in the numbering of the node whose page the form
 * was on (`renderedBy`, marked by the router): its agent reported which edge comment each of
 * its ids is. Comments that never passed through the edge have the primary's numbering on
 * every node (nodes are copies of the primary), so the primary's catalog knows them.
 */
export async function findParent(
  db: DrizzleD1Database,
  site: SiteSnapshot,
  parentWpId: number,
  renderedBy: string | undefined,
): Promise<Parent | undefined> {
  const primary = site.nodes.find((node) => node.role === 'primary')?.id;
  const rendering = site.nodes.some((node) => node.id === renderedBy) ? renderedBy : primary;
  if (rendering) {
    const [edgeParent] = await db
      .select({ id: comments.id, postId: comments.postId, status: comments.status })
      .from(commentLocations)
      .innerJoin(comments, eq(comments.id, commentLocations.commentId))
      .where(
        and(
          eq(commentLocations.nodeId, rendering),
          eq(commentLocations.wpId, parentWpId),
          eq(comments.siteId, site.id),
        ),
      );
    if (edgeParent)
      return {
        postId: edgeParent.postId,
        state: STATE_OF[edgeParent.status],
        edgeId: edgeParent.id,
      };
  }
  const [native] = await db
    .select({ postId: catalogComments.postId, approved: catalogComments.approved })
    .from(catalogComments)
    .where(and(eq(catalogComments.siteId, site.id), eq(catalogComments.wpId, parentWpId)));
  return native
    ? {
        postId: native.postId,
        state: STATE_OF[statusOfApproved(native.approved)],
        edgeId: undefined,
      }
    : undefined;
}

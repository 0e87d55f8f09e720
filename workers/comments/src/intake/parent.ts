import { type CommentStatus, type SiteSnapshot, statusOfApproved } from '@wp-edge/core';
import { catalogComments, commentLocations, comments, preparedQuery } from '@wp-edge/core/db';
import { and, eq, sql } from 'drizzle-orm';

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

const placeholder = sql.placeholder;

/** The edge comment a node's id stands for, on the node the form was rendered by. */
const edgeParentQuery = preparedQuery((db) =>
  db
    .select({ id: comments.id, postId: comments.postId, status: comments.status })
    .from(commentLocations)
    .innerJoin(comments, eq(comments.id, commentLocations.commentId))
    .where(
      and(
        eq(commentLocations.nodeId, placeholder('nodeId')),
        eq(commentLocations.wpId, placeholder('wpId')),
        eq(comments.siteId, placeholder('siteId')),
      ),
    ),
);

/** WordPress's own comment of that id, from the primary's catalog. */
const nativeParentQuery = preparedQuery((db) =>
  db
    .select({ postId: catalogComments.postId, approved: catalogComments.approved })
    .from(catalogComments)
    .where(
      and(
        eq(catalogComments.siteId, placeholder('siteId')),
        eq(catalogComments.wpId, placeholder('wpId')),
      ),
    ),
);

/**
 * The two reads that find a reply's parent, to run in the batch of the rule reads.
 * `parentWpId` is in the numbering of the node whose page the form was on (`renderedBy`,
 * marked by the router): its agent reported which edge comment each of its ids is. Comments
 * that never passed through the edge have the primary's numbering on every node (nodes are
 * copies of the primary), so the primary's catalog knows them. A site without a primary has
 * no node whose numbering an edge comment could carry: its edge read asks for a node id no
 * node has (ids are never empty).
 */
export function parentReads(
  d1: D1Database,
  site: SiteSnapshot,
  parentWpId: number,
  renderedBy: string | undefined,
) {
  const primary = site.nodes.find((node) => node.role === 'primary')?.id;
  const rendering = site.nodes.some((node) => node.id === renderedBy) ? renderedBy : primary;
  const parent = { siteId: site.id, wpId: parentWpId };
  return [
    edgeParentQuery(d1, { ...parent, nodeId: rendering ?? '' }),
    nativeParentQuery(d1, parent),
  ] as const;
}

/** The parent `parentReads` found: the edge comment first, else WordPress's own. */
export function parentFrom(
  edge: { id: string; postId: number; status: CommentStatus }[],
  native: { postId: number; approved: string }[],
): Parent | undefined {
  const [edgeParent] = edge;
  if (edgeParent)
    return { postId: edgeParent.postId, state: STATE_OF[edgeParent.status], edgeId: edgeParent.id };
  const [nativeParent] = native;
  return nativeParent
    ? {
        postId: nativeParent.postId,
        state: STATE_OF[statusOfApproved(nativeParent.approved)],
        edgeId: undefined,
      }
    : undefined;
}

import { z } from 'zod';

/** Where a comment stands; WordPress's `comment_approved` for each is in `contract/wordpress-comments.ts`. */
export const CommentStatus = z.enum(['approved', 'held', 'spam', 'trash']);
export type CommentStatus = z.infer<typeof CommentStatus>;

const PostId = z.number().int().positive();

/** A comment accepted at the edge, with every field WordPress keeps. */
export const EdgeComment = z.object({
  /** The edge's id (ULID), kept in the agent's table and in commentmeta on every node. */
  id: z.string().min(1),
  postId: PostId,
  /** `comment_parent` as the form sent it: a WordPress comment id, 0 for none. */
  parentWpId: z.number().int().min(0),
  /** The node whose page the form was on (the router marks forms), in whose numbering `parentWpId` is. */
  renderedBy: z.string().optional(),
  /** The parent's edge id, when the parent is itself an edge comment: how every node finds its own copy. */
  parentEdgeId: z.string().optional(),
  author: z.string(),
  authorEmail: z.string(),
  authorUrl: z.string(),
  content: z.string(),
  authorIp: z.string(),
  userAgent: z.string(),
  status: CommentStatus,
  createdAt: z.iso.datetime(),
  /** The reader ticked "notify me of replies" on a site that offers it: the primary mails them each approved reply. */
  notifyReplies: z.boolean().optional(),
});
export type EdgeComment = z.infer<typeof EdgeComment>;

/** What the owner changed of a comment: a `moderated` log entry without its position. */
export const ModerationChange = z.object({
  commentId: z.string().min(1),
  status: CommentStatus.optional(),
  content: z.string().optional(),
  /** The owner deleted the comment permanently: every node deletes it, not trashes it. */
  deleted: z.literal(true).optional(),
  at: z.iso.datetime(),
  /** The node that reported the change (the primary then): it skips its own, it has it already. */
  reportedBy: z.string().optional(),
});

/** One entry of a site's comment log, in the order every node applies them. */
export const CommentEvent = z.discriminatedUnion('type', [
  z.object({ seq: z.number().int().positive(), type: z.literal('created'), comment: EdgeComment }),
  ModerationChange.extend({ seq: z.number().int().positive(), type: z.literal('moderated') }),
]);
export type CommentEvent = z.infer<typeof CommentEvent>;

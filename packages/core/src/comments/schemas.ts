import { z } from 'zod';

/** Where a comment stands; WordPress's `comment_approved` for each is in `WP_APPROVED`. */
export const CommentStatus = z.enum(['approved', 'held', 'spam', 'trash']);
export type CommentStatus = z.infer<typeof CommentStatus>;

/** `wp_comments.comment_approved` for each status. */
export const WP_APPROVED: Record<CommentStatus, string> = {
  approved: '1',
  held: '0',
  spam: 'spam',
  trash: 'trash',
};

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

/** One entry of a site's comment log, in the order every node applies them. */
export const CommentEvent = z.discriminatedUnion('type', [
  z.object({ seq: z.number().int().positive(), type: z.literal('created'), comment: EdgeComment }),
  z.object({
    seq: z.number().int().positive(),
    type: z.literal('moderated'),
    commentId: z.string().min(1),
    status: CommentStatus.optional(),
    content: z.string().optional(),
    /** The owner deleted the comment permanently: every node deletes it, not trashes it. */
    deleted: z.literal(true).optional(),
    at: z.iso.datetime(),
  }),
]);
export type CommentEvent = z.infer<typeof CommentEvent>;

/** The answer to `GET /agent/comments`: events after the cursor, and the site's newest seq. */
export const CommentPage = z.object({
  events: z.array(CommentEvent),
  /** The cursor to ask from next time (the last event's seq, or the cursor asked with). */
  next: z.number().int().min(0),
  head: z.number().int().min(0),
});
export type CommentPage = z.infer<typeof CommentPage>;

/**
 * `POST /agent/cursor`: the log position a node has applied, and the WordPress ids its
 * database gave the edge comments it applied since the last report.
 */
export const CursorReport = z.object({
  cursor: z.number().int().min(0),
  applied: z
    .array(z.object({ commentId: z.string().min(1), wpId: z.number().int().positive() }))
    .max(1000)
    .default([]),
});
export type CursorReport = z.infer<typeof CursorReport>;

/** `POST /agent/purge` takes at most this many page URLs; the agent sends more in several. */
export const MAX_PURGE_URLS = 100;

/** A catalog publish carries at most this many posts and comments in all; the agent sends more in chunks. */
export const MAX_CATALOG_ITEMS = 1000;

/** `POST /agent/catalog`: what changed on the primary since its last publish. */
export const CatalogUpdate = z
  .object({
    siteUrl: z.url({ protocol: /^https?$/ }).optional(),
    posts: z
      .array(
        z.object({
          id: PostId,
          status: z.string().min(1).max(20),
          commentStatus: z.enum(['open', 'closed']),
          permalink: z.url({ protocol: /^https?$/ }),
          passwordProtected: z.boolean().default(false),
        }),
      )
      .max(MAX_CATALOG_ITEMS)
      .default([]),
    removedPosts: z.array(PostId).max(MAX_CATALOG_ITEMS).default([]),
    comments: z
      .array(z.object({ id: PostId, postId: PostId, approved: z.string().min(1).max(20) }))
      .max(MAX_CATALOG_ITEMS)
      .default([]),
    removedComments: z.array(PostId).max(MAX_CATALOG_ITEMS).default([]),
  })
  .refine(
    (update) =>
      update.posts.length +
        update.removedPosts.length +
        update.comments.length +
        update.removedComments.length <=
      MAX_CATALOG_ITEMS,
    {
      error: `send at most ${MAX_CATALOG_ITEMS} posts and comments per request; split larger catalogs`,
    },
  );
export type CatalogUpdate = z.infer<typeof CatalogUpdate>;

/** `POST /agent/moderation`: what the owner did in wp-admin on the primary to edge comments. */
export const ModerationReport = z.object({
  changes: z
    .array(
      z
        .object({
          commentId: z.string().min(1),
          status: CommentStatus.optional(),
          content: z.string().max(65_525).optional(),
          /** Deleted permanently on the primary (not trashed). */
          deleted: z.literal(true).optional(),
        })
        .refine(
          (change) =>
            change.status !== undefined || change.content !== undefined || change.deleted === true,
          { error: 'a change needs a status, a content or deleted' },
        ),
    )
    .min(1)
    .max(500),
});
export type ModerationReport = z.infer<typeof ModerationReport>;

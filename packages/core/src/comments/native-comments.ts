import { z } from 'zod';
import { CommentStatus } from './schemas.ts';

/** A native report carries at most this many comments; the agent sends more in several. */
export const MAX_NATIVE_COMMENTS = 100;

/**
 * `POST /agent/native-comments` (primary only): comments WordPress wrote on the primary
 * outside the edge (the owner's replies in wp-admin, the REST API, an import), in the
 * primary's numbering, so they enter the site's log and reach every node.
 */
export const NativeCommentsReport = z.object({
  comments: z
    .array(
      z.object({
        /** The comment's `comment_ID` on the primary. */
        wpId: z.number().int().positive(),
        postId: z.number().int().positive(),
        /** `comment_parent` on the primary, 0 for none. */
        parentWpId: z.number().int().min(0),
        author: z.string().max(245),
        authorEmail: z.string().max(100),
        authorUrl: z.string().max(200),
        content: z.string().max(65_525),
        authorIp: z.string().max(100),
        userAgent: z.string().max(255),
        status: CommentStatus,
        createdAt: z.iso.datetime(),
      }),
    )
    .min(1)
    .max(MAX_NATIVE_COMMENTS),
});
export type NativeCommentsReport = z.infer<typeof NativeCommentsReport>;

/** The answer: the edge id each reported comment has in the log (the same one again for a comment reported twice). */
export const NativeCommentsLogged = z.object({
  logged: z.array(z.object({ wpId: z.number().int().positive(), commentId: z.string().min(1) })),
});
export type NativeCommentsLogged = z.infer<typeof NativeCommentsLogged>;

import { type EdgeComment, sha256Hex } from '@wp-edge/core';
import { commentLog, comments } from '@wp-edge/core/db';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { refuse } from './refusal.ts';

/** WordPress's answer to a comment it already has. */
export const duplicateRefusal = () =>
  refuse(
    409,
    'duplicate',
    'Duplicate comment detected; it looks as though you’ve already said that!',
  );

/** WordPress's duplicate rule as a key: the same post, author, email and content. */
export async function dedupeKeyOf(comment: {
  postId: number;
  author: string;
  email: string;
  content: string;
}): Promise<string> {
  return sha256Hex([comment.postId, comment.author, comment.email, comment.content].join('\n'));
}

/**
 * Stores an accepted comment and its log entry in one D1 batch; returns its place in the log.
 * The unique duplicate index refuses the second of two identical comments posted at once.
 */
export async function storeComment(
  db: DrizzleD1Database,
  siteId: string,
  comment: EdgeComment,
  dedupeKey: string,
  nowMs: number,
): Promise<number> {
  try {
    const [, logged] = await db.batch([
      db.insert(comments).values({
        ...comment,
        siteId,
        dedupeKey,
        createdAt: nowMs,
        updatedAt: nowMs,
      }),
      db
        .insert(commentLog)
        .values({
          siteId,
          commentId: comment.id,
          type: 'created',
          payload: comment,
          createdAt: nowMs,
        })
        .returning({ seq: commentLog.seq }),
    ]);
    return logged[0]?.seq ?? 0;
  } catch (error) {
    if (/UNIQUE constraint failed: comments\.site_id, comments\.dedupe_key/.test(String(error)))
      throw duplicateRefusal();
    throw error;
  }
}

import { type EdgeComment, NOTIFY_REPLIES_META_KEY } from '@wp-edge/core';
import type { PoolConnection } from 'mysql2/promise';
import type { WordPressDb } from '../db/wordpress-db.ts';

/**
 * Marks a comment whose author asked to hear of replies (`notifyReplies`), in commentmeta,
 * where the WordPress plugin on the primary finds it. No address is copied: the mail goes to
 * the comment's own `comment_author_email`, and unsubscribing deletes the mark.
 */
export async function markReplySubscription(
  connection: PoolConnection,
  db: WordPressDb,
  comment: EdgeComment,
  wpId: number,
): Promise<void> {
  if (!comment.notifyReplies) return;
  await connection.query(
    `INSERT INTO ${db.table('commentmeta')} (comment_id, meta_key, meta_value) VALUES (?, ?, '1')`,
    [wpId, NOTIFY_REPLIES_META_KEY],
  );
}

import { type EdgeComment, NOTIFY_REPLIES_META_KEY } from '@wp-edge/core';
import type { PoolConnection } from 'mysql2/promise';
import type { WordPressDb } from '../db/wordpress-db.ts';

/**
 * Marks the just-inserted comments whose authors asked to hear of replies (`notifyReplies`),
 * in commentmeta, where the WordPress plugin on the primary finds them. No address is copied:
 * the mail goes to the comment's own `comment_author_email`, and unsubscribing deletes the mark.
 */
export async function markReplySubscriptions(
  connection: PoolConnection,
  db: WordPressDb,
  comments: EdgeComment[],
): Promise<void> {
  const asked = comments.filter((comment) => comment.notifyReplies).map((comment) => comment.id);
  if (asked.length === 0) return;
  await connection.query(
    `INSERT INTO ${db.table('commentmeta')} (comment_id, meta_key, meta_value)
       SELECT comment_id, ?, '1' FROM ${db.table('wp_edge_applied')} WHERE edge_id IN (?)`,
    [NOTIFY_REPLIES_META_KEY, asked],
  );
}

import { EDGE_ID_META_KEY, NOTIFY_REPLIES_META_KEY } from '@wp-edge/core';
import type mysql from 'mysql2/promise';

/** Writes a comment as the origin agent applies one: straight into wp_comments, with its edge id in commentmeta. */
export async function applyEdgeComment(
  db: mysql.Connection,
  comment: {
    edgeId: string;
    content: string;
    approved: '0' | '1' | 'spam';
    postId?: number;
    parent?: number;
    author?: string;
    email?: string;
    notifyReplies?: boolean;
  },
): Promise<number> {
  const [result] = await db.query<mysql.ResultSetHeader>(
    `INSERT INTO wp_comments (comment_post_ID, comment_author, comment_author_email, comment_author_url,
       comment_author_IP, comment_date, comment_date_gmt, comment_content, comment_approved, comment_agent,
       comment_type, comment_parent, user_id)
     VALUES (?, ?, ?, '', '203.0.113.5', NOW(), UTC_TIMESTAMP(), ?, ?, 'Browser', 'comment', ?, 0)`,
    [
      comment.postId ?? 1,
      comment.author ?? 'Ann',
      comment.email ?? 'ann@example.com',
      comment.content,
      comment.approved,
      comment.parent ?? 0,
    ],
  );
  const meta = [[result.insertId, EDGE_ID_META_KEY, comment.edgeId]];
  if (comment.notifyReplies) meta.push([result.insertId, NOTIFY_REPLIES_META_KEY, '1']);
  await db.query('INSERT INTO wp_commentmeta (comment_id, meta_key, meta_value) VALUES ?', [meta]);
  return result.insertId;
}

import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { WordPressDb } from '../db/wordpress-db.ts';

/**
 * Deletes an edge comment the owner deleted permanently on the primary, as
 * `wp_delete_comment` does: its replies move up to its parent, its meta goes with it. The
 * agent's row stays, marked deleted, so a replayed log can never bring the comment back.
 * Returns the comment's post (its count changes), or undefined when this node does not have it.
 */
export async function deleteComment(
  connection: PoolConnection,
  db: WordPressDb,
  edgeId: string,
): Promise<number | undefined> {
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT c.comment_ID, c.comment_post_ID, c.comment_parent
       FROM ${db.table('wp_edge_applied')} a JOIN ${db.table('comments')} c ON c.comment_ID = a.comment_id
      WHERE a.edge_id = ? FOR UPDATE`,
    [edgeId],
  );
  const local = rows[0];
  if (!local) return undefined;
  await connection.query(
    `UPDATE ${db.table('comments')} SET comment_parent = ? WHERE comment_parent = ?`,
    [local.comment_parent, local.comment_ID],
  );
  await connection.query(`DELETE FROM ${db.table('commentmeta')} WHERE comment_id = ?`, [
    local.comment_ID,
  ]);
  await connection.query(`DELETE FROM ${db.table('comments')} WHERE comment_ID = ?`, [
    local.comment_ID,
  ]);
  await connection.query(
    `UPDATE ${db.table('wp_edge_applied')} SET comment_id = 0, known_state = 'deleted' WHERE edge_id = ?`,
    [edgeId],
  );
  return Number(local.comment_post_ID);
}

import { AGENT_ROUTES, type Logger, statusOfApproved } from '@wp-edge/core';
import type { RowDataPacket } from 'mysql2/promise';
import type { WordPressDb } from '../db/wordpress-db.ts';
import { type EdgeClient, EdgeError } from '../edge/edge-client.ts';

const MAX_CHANGES = 500;

/**
 * On the primary: finds edge comments the owner changed in wp-admin since the edge last
 * knew them (status, text, or deleted), and reports them so every node applies the same.
 * Returns `primary: false` when the edge says this node is not the primary.
 */
export async function reportModeration(options: {
  db: WordPressDb;
  edge: EdgeClient;
  logger: Logger;
}) {
  const { db, edge, logger } = options;
  const [rows] = await db.pool.query<RowDataPacket[]>(
    `SELECT a.edge_id, a.comment_id, a.known_state, c.comment_approved, c.comment_content,
            CONCAT(c.comment_approved, '|', SHA2(c.comment_content, 256)) AS state
       FROM ${db.table('wp_edge_applied')} a LEFT JOIN ${db.table('comments')} c ON c.comment_ID = a.comment_id
      WHERE a.comment_id > 0 AND a.known_state <> 'deleted'
        AND (c.comment_ID IS NULL OR BINARY a.known_state <> BINARY CONCAT(c.comment_approved, '|', SHA2(c.comment_content, 256)))
      LIMIT ?`,
    [MAX_CHANGES],
  );
  if (rows.length === 0) return { primary: true, reported: 0 };
  const changes = rows.map((row) => {
    if (row.comment_approved === null)
      return { commentId: String(row.edge_id), deleted: true as const };
    const [knownApproved, knownHash] = String(row.known_state).split('|');
    const [, hash] = String(row.state).split('|');
    return {
      commentId: String(row.edge_id),
      ...(knownApproved !== row.comment_approved
        ? { status: statusOfApproved(String(row.comment_approved)) }
        : {}),
      ...(knownHash !== hash ? { content: String(row.comment_content) } : {}),
    };
  });
  try {
    await edge.call(AGENT_ROUTES.moderation, { changes });
  } catch (error) {
    if (error instanceof EdgeError && error.status === 403) return { primary: false, reported: 0 };
    throw error;
  }
  for (const row of rows) {
    if (row.comment_approved === null) {
      await db.pool.query(
        `UPDATE ${db.table('wp_edge_applied')} SET known_state = 'deleted' WHERE edge_id = ?`,
        [row.edge_id],
      );
    } else {
      // What was reported, not the row as it is now: a change made meanwhile is reported next time.
      await db.pool.query(
        `UPDATE ${db.table('wp_edge_applied')} SET known_state = ? WHERE edge_id = ?`,
        [row.state, row.edge_id],
      );
    }
  }
  logger.info('moderation reported to the edge', { reported: changes.length });
  return { primary: true, reported: changes.length };
}

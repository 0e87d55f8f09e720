import {
  AGENT_ROUTES,
  type CommentStatus,
  EDGE_ID_META_KEY,
  type Logger,
  MAX_NATIVE_COMMENTS,
  type NativeCommentsLogged,
  NOTIFIED_META_KEY,
} from '@wp-edge/core';
import type { RowDataPacket } from 'mysql2/promise';
import type { WordPressDb } from '../db/wordpress-db.ts';
import { type EdgeClient, EdgeError } from '../edge/edge-client.ts';

const STATUS_OF: Record<string, CommentStatus> = {
  '1': 'approved',
  '0': 'held',
  spam: 'spam',
  trash: 'trash',
  'post-trashed': 'trash',
};

/**
 * Where native comments start: the newest comment when the agent first runs on the primary.
 * Older comments reached the other nodes by the database copy they started from.
 */
async function startMark(db: WordPressDb): Promise<number> {
  await db.pool.query(
    `INSERT IGNORE INTO ${db.table('wp_edge_state')} (name, value)
       SELECT 'native_comment_mark', COALESCE(MAX(comment_ID), 0) FROM ${db.table('comments')}`,
  );
  const [rows] = await db.pool.query<RowDataPacket[]>(
    `SELECT value FROM ${db.table('wp_edge_state')} WHERE name = 'native_comment_mark'`,
  );
  return Number(rows[0]?.value ?? 0);
}

/**
 * On the primary: reports the comments WordPress wrote itself (the owner's replies in
 * wp-admin, the REST API, an import) that are not in the log yet, so they enter it and reach
 * every node; each then gets its edge id here as an applied comment, so the log's copy is
 * skipped on this node and the owner's later edits, status changes and deletes are reported
 * like those of edge comments. Returns `primary: false` when the edge says this node is not the primary.
 */
export async function reportNativeComments(options: {
  db: WordPressDb;
  edge: EdgeClient;
  nodeId: string;
  logger: Logger;
}) {
  const { db, edge, nodeId, logger } = options;
  const mark = await startMark(db);
  // The LEFT JOIN sees an edge comment the agent is applying only once its transaction has
  // committed, with its wp_edge_applied row, so it is never taken for a native one.
  const [rows] = await db.pool.query<RowDataPacket[]>(
    `SELECT c.comment_ID, c.comment_post_ID, c.comment_parent, c.comment_author, c.comment_author_email,
            c.comment_author_url, c.comment_content, c.comment_author_IP, c.comment_agent, c.comment_approved,
            IF(c.comment_date_gmt > '1000-01-01', DATE_FORMAT(c.comment_date_gmt, '%Y-%m-%dT%H:%i:%sZ'), NULL) AS created_at
       FROM ${db.table('comments')} c LEFT JOIN ${db.table('wp_edge_applied')} a ON a.comment_id = c.comment_ID
      WHERE c.comment_ID > ? AND a.edge_id IS NULL AND c.comment_type IN ('comment', '')
      ORDER BY c.comment_ID LIMIT ?`,
    [mark, MAX_NATIVE_COMMENTS],
  );
  if (rows.length === 0) return { primary: true, reported: 0 };
  const comments = rows.map((row) => ({
    wpId: Number(row.comment_ID),
    postId: Number(row.comment_post_ID),
    parentWpId: Number(row.comment_parent),
    author: String(row.comment_author),
    authorEmail: String(row.comment_author_email),
    authorUrl: String(row.comment_author_url),
    content: String(row.comment_content),
    authorIp: String(row.comment_author_IP),
    userAgent: String(row.comment_agent),
    status: STATUS_OF[String(row.comment_approved)] ?? 'held',
    createdAt: row.created_at ? String(row.created_at) : new Date().toISOString(),
  }));
  let answer: NativeCommentsLogged;
  try {
    answer = await edge.call(AGENT_ROUTES.nativeComments, { comments });
  } catch (error) {
    if (!(error instanceof EdgeError && error.status === 403)) throw error;
    // Not the primary (a standby, a copy of the primary's database): these are not this
    // node's to report, and are not looked at again.
    await db.pool.query(
      `UPDATE ${db.table('wp_edge_state')} SET value = GREATEST(value, ?) WHERE name = 'native_comment_mark'`,
      [Number(rows.at(-1)?.comment_ID ?? 0)],
    );
    return { primary: false, reported: 0 };
  }
  for (const { wpId, commentId } of answer.logged) {
    const row = rows.find((candidate) => Number(candidate.comment_ID) === wpId);
    if (!row) continue;
    // What was reported, so a change made meanwhile goes out with the next moderation report.
    await db.pool.query(
      `INSERT IGNORE INTO ${db.table('wp_edge_applied')} (edge_id, comment_id, reported_by, known_state)
         VALUES (?, ?, ?, CONCAT(?, '|', SHA2(?, 256)))`,
      [commentId, wpId, nodeId, String(row.comment_approved), String(row.comment_content)],
    );
    // WordPress mailed about this comment itself: the plugin's scan of new edge ids must not again.
    await db.pool.query(
      `INSERT INTO ${db.table('commentmeta')} (comment_id, meta_key, meta_value) VALUES (?, ?, ?), (?, ?, ?)`,
      [
        wpId,
        EDGE_ID_META_KEY,
        commentId,
        wpId,
        NOTIFIED_META_KEY,
        String(Math.floor(Date.now() / 1000)),
      ],
    );
  }
  logger.info('native comments entered the log', { reported: answer.logged.length });
  return { primary: true, reported: answer.logged.length };
}

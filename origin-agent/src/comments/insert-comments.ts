import { createHash } from 'node:crypto';
import {
  EDGE_ID_META_KEY,
  type EdgeComment,
  NOTIFY_REPLIES_META_KEY,
  WP_APPROVED,
} from '@wp-edge/core';
import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { WordPressDb } from '../db/wordpress-db.ts';
import type { ApplyContext } from './apply-context.ts';
import { type SiteTimeZone, wpLocalDate } from './wp-dates.ts';

// A multi-row insert stays well under MariaDB's default max_allowed_packet (16 MB).
const MAX_STATEMENT_BYTES = 4 * 1024 * 1024;

/** This database's `comment_ID` of each edge id it has, from the agent's table. */
async function localIds(
  connection: PoolConnection,
  db: WordPressDb,
  edgeIds: string[],
): Promise<Map<string, number>> {
  if (edgeIds.length === 0) return new Map();
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT edge_id, comment_id FROM ${db.table('wp_edge_applied')} WHERE edge_id IN (?)`,
    [edgeIds],
  );
  return new Map(rows.map((row) => [String(row.edge_id), Number(row.comment_id)]));
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Inserts a run of edge comments, their commentmeta and the agent's rows, three statements
 * for the lot. The comments whose readers asked to hear of replies (`notifyReplies`) are
 * marked in commentmeta, where the WordPress plugin on the primary finds them; no address is
 * copied: the mail goes to the comment's own `comment_author_email`, and unsubscribing deletes
 * the mark. `comment_parent` is in this database's numbering: through the parent's edge id
 * when it is an edge comment (each node gave it its own id), else the id as posted.
 */
async function insertRun(
  connection: PoolConnection,
  db: WordPressDb,
  comments: EdgeComment[],
  context: { zone: SiteTimeZone; parents: Map<string, number>; step: number },
): Promise<void> {
  const [inserted] = await connection.query<ResultSetHeader>(
    `INSERT INTO ${db.table('comments')} (comment_post_ID, comment_author, comment_author_email, comment_author_url, comment_author_IP, comment_date, comment_date_gmt, comment_content, comment_karma, comment_approved, comment_agent, comment_type, comment_parent, user_id) VALUES ?`,
    [
      comments.map((comment) => [
        comment.postId,
        comment.author,
        comment.authorEmail,
        comment.authorUrl,
        comment.authorIp,
        wpLocalDate(comment.createdAt, context.zone),
        wpLocalDate(comment.createdAt, { offsetHours: 0 }),
        comment.content,
        0,
        WP_APPROVED[comment.status],
        comment.userAgent,
        'comment',
        comment.parentEdgeId
          ? (context.parents.get(comment.parentEdgeId) ?? 0)
          : comment.parentWpId,
        0,
      ]),
    ],
  );
  const ids = comments.map((_, i) => inserted.insertId + i * context.step);
  for (const [i, comment] of comments.entries()) context.parents.set(comment.id, ids[i] ?? 0);
  await connection.query(
    `INSERT INTO ${db.table('wp_edge_applied')} (edge_id, comment_id, known_state) VALUES ?`,
    [
      comments.map((comment, i) => [
        comment.id,
        ids[i],
        `${WP_APPROVED[comment.status]}|${sha256(comment.content)}`,
      ]),
    ],
  );
  await connection.query(
    `INSERT INTO ${db.table('commentmeta')} (comment_id, meta_key, meta_value) VALUES ?`,
    [
      [
        ...comments.map((comment, i) => [ids[i], EDGE_ID_META_KEY, comment.id]),
        ...comments.flatMap((comment, i) =>
          comment.notifyReplies ? [[ids[i], NOTIFY_REPLIES_META_KEY, '1']] : [],
        ),
      ],
    ],
  );
}

/**
 * Inserts new edge comments in as few multi-row statements as their size allows. A run is
 * cut before a reply to a comment of the same run, so the parent's id is known first. The
 * caller has checked, under the cursor lock, that none of the edge ids is there yet; the
 * agent's primary key guards it anyway.
 */
export async function insertComments(
  connection: PoolConnection,
  db: WordPressDb,
  comments: EdgeComment[],
  { zone, idStep: step }: ApplyContext,
): Promise<void> {
  if (comments.length === 0) return;
  const parents = await localIds(
    connection,
    db,
    comments.flatMap((comment) => (comment.parentEdgeId ? [comment.parentEdgeId] : [])),
  );
  const context = { zone, parents, step: step ?? 1 };
  let run: EdgeComment[] = [];
  let inRun = new Set<string>();
  let runBytes = 0;
  for (const comment of comments) {
    const bytes = Buffer.byteLength(comment.content) + 1024;
    const cut =
      step === undefined ||
      runBytes + bytes > MAX_STATEMENT_BYTES ||
      inRun.has(comment.parentEdgeId ?? '');
    if (cut && run.length > 0) {
      await insertRun(connection, db, run, context);
      run = [];
      inRun = new Set();
      runBytes = 0;
    }
    run.push(comment);
    inRun.add(comment.id);
    runBytes += bytes;
  }
  await insertRun(connection, db, run, context);
}

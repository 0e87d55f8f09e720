import { type CommentEvent, type EdgeComment, WP_APPROVED } from '@wp-edge/core';
import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { inTransaction, type WordPressDb } from '../db/wordpress-db.ts';
import { type SiteTimeZone, wpLocalDate } from './wp-dates.ts';

export const EDGE_ID_META_KEY = 'wp_edge_id';

/**
 * The SQL that sets `known_state` from a comment's row as it is now (bind its comment_ID):
 * the agent's record of what the edge knows, so the owner's own changes in wp-admin show
 * (on whichever node is the primary, now or after a promotion).
 */
function knownStateSql(db: WordPressDb): string {
  return `known_state = (SELECT CONCAT(comment_approved, '|', SHA2(comment_content, 256)) FROM ${db.table('comments')} WHERE comment_ID = ?)`;
}

export interface ApplyResult {
  applied: number;
  skipped: number;
  cursor: number;
  /** The posts whose comments changed: their cached pages are out of date. */
  posts: number[];
}

async function siteTimeZone(connection: PoolConnection, db: WordPressDb): Promise<SiteTimeZone> {
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT option_name, option_value FROM ${db.table('options')} WHERE option_name IN ('gmt_offset', 'timezone_string')`,
  );
  const option = (name: string) =>
    rows.find((row) => row.option_name === name)?.option_value as string | undefined;
  const timeZone = option('timezone_string');
  return { offsetHours: Number(option('gmt_offset') ?? 0) || 0, ...(timeZone ? { timeZone } : {}) };
}

async function recount(connection: PoolConnection, db: WordPressDb, postId: number): Promise<void> {
  await connection.query(
    `UPDATE ${db.table('posts')} SET comment_count = (SELECT COUNT(*) FROM ${db.table('comments')} WHERE comment_post_ID = ? AND comment_approved = '1') WHERE ID = ?`,
    [postId, postId],
  );
}

/**
 * `comment_parent` in this database's numbering: through the parent's edge id when it is an
 * edge comment (each node gave it its own id), else the id as posted (WordPress's own
 * comments have the primary's numbering on every node).
 */
async function localParent(
  connection: PoolConnection,
  db: WordPressDb,
  comment: EdgeComment,
): Promise<number> {
  if (!comment.parentEdgeId) return comment.parentWpId;
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT comment_id FROM ${db.table('wp_edge_applied')} WHERE edge_id = ?`,
    [comment.parentEdgeId],
  );
  return Number(rows[0]?.comment_id ?? 0);
}

/**
 * Inserts one edge comment, its commentmeta and the agent's row for it, on the transaction's
 * connection (LAST_INSERT_ID() is the new comment's id throughout). The caller has checked,
 * under the cursor lock, that the edge id is not there yet; the agent's primary key guards it anyway.
 */
async function insertComment(
  connection: PoolConnection,
  db: WordPressDb,
  comment: EdgeComment,
  zone: SiteTimeZone,
): Promise<number> {
  const approved = WP_APPROVED[comment.status];
  const [inserted] = await connection.query<ResultSetHeader>(
    `INSERT INTO ${db.table('comments')} (comment_post_ID, comment_author, comment_author_email, comment_author_url, comment_author_IP, comment_date, comment_date_gmt, comment_content, comment_karma, comment_approved, comment_agent, comment_type, comment_parent, user_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 'comment', ?, 0)`,
    [
      comment.postId,
      comment.author,
      comment.authorEmail,
      comment.authorUrl,
      comment.authorIp,
      wpLocalDate(comment.createdAt, zone),
      wpLocalDate(comment.createdAt, { offsetHours: 0 }),
      comment.content,
      approved,
      comment.userAgent,
      await localParent(connection, db, comment),
    ],
  );
  await connection.query(
    `INSERT INTO ${db.table('wp_edge_applied')} (edge_id, comment_id, known_state) VALUES (?, LAST_INSERT_ID(), CONCAT(?, '|', SHA2(?, 256)))`,
    [comment.id, approved, comment.content],
  );
  await connection.query(
    `INSERT INTO ${db.table('commentmeta')} (comment_id, meta_key, meta_value) VALUES (LAST_INSERT_ID(), ?, ?)`,
    [EDGE_ID_META_KEY, comment.id],
  );
  return inserted.insertId;
}

/**
 * Applies a moderation event; returns the comment's post, whose cached page is stale now. The
 * node that reported the change has it already, and its row may have changed again since (the
 * next report carries that): it leaves the row alone, applying it back would undo the newer change.
 */
async function moderate(
  connection: PoolConnection,
  db: WordPressDb,
  event: Extract<CommentEvent, { type: 'moderated' }>,
  nodeId: string,
): Promise<number | undefined> {
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT c.comment_ID, c.comment_post_ID
       FROM ${db.table('wp_edge_applied')} a JOIN ${db.table('comments')} c ON c.comment_ID = a.comment_id
      WHERE a.edge_id = ?`,
    [event.commentId],
  );
  const local = rows[0];
  if (!local) return undefined;
  if (event.reportedBy === nodeId) return Number(local.comment_post_ID);
  const sets: string[] = [];
  const values: unknown[] = [];
  if (event.status) {
    sets.push('comment_approved = ?');
    values.push(WP_APPROVED[event.status]);
  }
  if (event.content !== undefined) {
    sets.push('comment_content = ?');
    values.push(event.content);
  }
  await connection.query(
    `UPDATE ${db.table('comments')} SET ${sets.join(', ')} WHERE comment_ID = ?`,
    [...values, local.comment_ID],
  );
  await connection.query(
    `UPDATE ${db.table('wp_edge_applied')} SET ${knownStateSql(db)} WHERE edge_id = ?`,
    [local.comment_ID, event.commentId],
  );
  return Number(local.comment_post_ID);
}

/** Which of the page's new comments this database already has (a copy can bring them). */
async function alreadyApplied(
  connection: PoolConnection,
  db: WordPressDb,
  events: CommentEvent[],
  cursor: number,
) {
  const ids = events.flatMap((event) =>
    event.seq > cursor && event.type === 'created' ? [event.comment.id] : [],
  );
  if (ids.length === 0) return new Set<string>();
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT edge_id FROM ${db.table('wp_edge_applied')} WHERE edge_id IN (?)`,
    [ids],
  );
  return new Set(rows.map((row) => String(row.edge_id)));
}

/**
 * Applies a page of the site's comment log in one transaction, together with the cursor.
 * The cursor row is locked first, so two agents on one database take turns; events at or
 * below the stored cursor and comments whose edge id is already there are skipped, and
 * moderation this node (`nodeId`) reported itself changes nothing here. A
 * crash at any point leaves either the whole page applied or none of it.
 */
export async function applyEvents(
  db: WordPressDb,
  events: CommentEvent[],
  next: number,
  nodeId: string,
): Promise<ApplyResult> {
  return inTransaction(db, async (connection) => {
    const [state] = await connection.query<RowDataPacket[]>(
      `SELECT value FROM ${db.table('wp_edge_state')} WHERE name = 'comment_cursor' FOR UPDATE`,
    );
    const cursor = Number(state[0]?.value ?? 0);
    const zone = await siteTimeZone(connection, db);
    const result: ApplyResult = {
      applied: 0,
      skipped: 0,
      cursor: Math.max(cursor, next),
      posts: [],
    };
    const touchedPosts = new Set<number>();
    const present = await alreadyApplied(connection, db, events, cursor);
    for (const event of events) {
      let postId: number | undefined;
      if (event.seq > cursor && event.type === 'created') {
        if (!present.has(event.comment.id)) {
          await insertComment(connection, db, event.comment, zone);
          postId = event.comment.postId;
        }
      } else if (event.seq > cursor && event.type === 'moderated') {
        postId = await moderate(connection, db, event, nodeId);
      }
      if (postId === undefined) result.skipped++;
      else {
        result.applied++;
        touchedPosts.add(postId);
      }
    }
    for (const postId of touchedPosts) await recount(connection, db, postId);
    result.posts = [...touchedPosts];
    await connection.query(
      `UPDATE ${db.table('wp_edge_state')} SET value = ? WHERE name = 'comment_cursor'`,
      [result.cursor],
    );
    return result;
  });
}

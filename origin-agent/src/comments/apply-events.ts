import { type CommentEvent, type EdgeComment, WP_APPROVED } from '@wp-edge/core';
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { inTransaction, type WordPressDb } from '../db/wordpress-db.ts';
import { applyContext } from './apply-context.ts';
import { COPY_MARK_STATE, commentmetaMark, renewCommentmetaMark } from './copy-mark.ts';
import { deleteComment } from './delete-comment.ts';
import { insertComments } from './insert-comments.ts';

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
  /** Nothing was applied: the database is half way through loading a copy (see copy-mark.ts). */
  copying: boolean;
}

/** Sets `comment_count` of these posts to their approved comments, in one statement. */
async function recount(connection: PoolConnection, db: WordPressDb, postIds: number[]) {
  if (postIds.length === 0) return;
  await connection.query(
    `UPDATE ${db.table('posts')} p LEFT JOIN (
       SELECT comment_post_ID, COUNT(*) AS approved FROM ${db.table('comments')}
        WHERE comment_post_ID IN (?) AND comment_approved = '1' GROUP BY comment_post_ID
     ) c ON c.comment_post_ID = p.ID
     SET p.comment_count = COALESCE(c.approved, 0) WHERE p.ID IN (?)`,
    [postIds, postIds],
  );
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
  if (event.deleted) return deleteComment(connection, db, event.commentId);
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
async function alreadyApplied(connection: PoolConnection, db: WordPressDb, events: CommentEvent[]) {
  const ids = events.flatMap((event) => (event.type === 'created' ? [event.comment.id] : []));
  if (ids.length === 0) return new Set<string>();
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT edge_id FROM ${db.table('wp_edge_applied')} WHERE edge_id IN (?)`,
    [ids],
  );
  return new Set(rows.map((row) => String(row.edge_id)));
}

/** The cursor and the state table's copy mark, the cursor row locked for this transaction. */
async function lockState(connection: PoolConnection, db: WordPressDb) {
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT name, value FROM ${db.table('wp_edge_state')} WHERE name IN ('comment_cursor', ?) FOR UPDATE`,
    [COPY_MARK_STATE],
  );
  const value = (name: string) => rows.find((row) => row.name === name)?.value;
  const mark = value(COPY_MARK_STATE);
  return {
    cursor: Number(value('comment_cursor') ?? 0),
    mark: mark === undefined ? undefined : String(mark),
  };
}

/**
 * Applies a page of the site's comment log in one transaction, together with the cursor.
 * The cursor row is locked first, so two agents on one database take turns; events at or
 * below the stored cursor, and comments whose edge id is already there, are skipped, and
 * moderation this node (`nodeId`) reported itself changes nothing here. A crash at any point leaves either the whole page applied or none of it. While the copy
 * marks differ (a dump is being loaded) nothing is applied and `copying` says so. A page
 * pulled `after` a cursor the database has since gone back from (a generation swapped in by
 * the content sync) is dropped whole: the next pull starts from the database's own cursor.
 */
export async function applyEvents(
  db: WordPressDb,
  events: CommentEvent[],
  next: number,
  nodeId: string,
  after?: number,
): Promise<ApplyResult> {
  return inTransaction(db, async (connection) => {
    const state = await lockState(connection, db);
    const mark = await commentmetaMark(connection, db);
    if (after !== undefined && state.cursor < after)
      return {
        applied: 0,
        skipped: events.length,
        cursor: state.cursor,
        posts: [],
        copying: false,
      };
    const result: ApplyResult = {
      applied: 0,
      skipped: 0,
      cursor: Math.max(state.cursor, next),
      posts: [],
      copying: mark !== state.mark,
    };
    if (result.copying) return { ...result, cursor: state.cursor, skipped: events.length };
    const fresh = events.filter((event) => event.seq > state.cursor);
    result.skipped = events.length - fresh.length;
    const present = await alreadyApplied(connection, db, fresh);
    const touchedPosts = new Set<number>();
    const context = await applyContext(connection, db);
    let created: EdgeComment[] = [];
    const flush = async () => {
      await insertComments(connection, db, created, context);
      created = [];
    };
    for (const event of fresh) {
      let postId: number | undefined;
      if (event.type === 'created' && !present.has(event.comment.id)) {
        present.add(event.comment.id);
        created.push(event.comment);
        postId = event.comment.postId;
      } else if (event.type === 'moderated') {
        await flush();
        postId = await moderate(connection, db, event, nodeId);
      }
      if (postId === undefined) result.skipped++;
      else {
        result.applied++;
        touchedPosts.add(postId);
      }
    }
    await flush();
    result.posts = [...touchedPosts];
    await recount(connection, db, result.posts);
    const renewed = await renewCommentmetaMark(connection, db, mark !== undefined);
    await connection.query(
      `INSERT INTO ${db.table('wp_edge_state')} (name, value) VALUES ('comment_cursor', ?), (?, ?) ON DUPLICATE KEY UPDATE value = VALUES(value)`,
      [result.cursor, COPY_MARK_STATE, renewed],
    );
    return result;
  });
}

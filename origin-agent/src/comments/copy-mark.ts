import { randomInt } from 'node:crypto';
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { WordPressDb } from '../db/wordpress-db.ts';

/**
 * The copy mark: one random number kept in two places, `wp_commentmeta` (the row of comment 0
 * with this key) and `wp_wp_edge_state` (`copy_mark`), and renewed by every transaction that
 * applies comments. A dump loads tables in name order, so `wp_commentmeta` comes first and
 * `wp_wp_edge_state` last of the tables the agent writes; while the two marks differ, a copy
 * of another database (or an older backup) is half loaded, and applying into it would leave
 * rows the rest of the load contradicts. See agent-tables.md.
 */
export const COPY_MARK_META_KEY = '_wp_edge_copy_mark';
export const COPY_MARK_STATE = 'copy_mark';

/** The mark in `wp_commentmeta`, read under lock so a load cannot replace the table meanwhile. */
export async function commentmetaMark(
  connection: PoolConnection,
  db: WordPressDb,
): Promise<string | undefined> {
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT meta_value FROM ${db.table('commentmeta')} WHERE comment_id = 0 AND meta_key = ? FOR UPDATE`,
    [COPY_MARK_META_KEY],
  );
  return rows[0] ? String(rows[0].meta_value) : undefined;
}

/** A fresh mark, written to `wp_commentmeta`; the caller writes it to the state table with the cursor. */
export async function renewCommentmetaMark(
  connection: PoolConnection,
  db: WordPressDb,
  had: boolean,
): Promise<number> {
  const mark = randomInt(1, 2 ** 47);
  await connection.query(
    had
      ? `UPDATE ${db.table('commentmeta')} SET meta_value = ? WHERE comment_id = 0 AND meta_key = ?`
      : `INSERT INTO ${db.table('commentmeta')} (meta_value, comment_id, meta_key) VALUES (?, 0, ?)`,
    [String(mark), COPY_MARK_META_KEY],
  );
  return mark;
}

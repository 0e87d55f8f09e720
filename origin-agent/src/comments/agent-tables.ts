import { inTransaction, type WordPressDb } from '../db/wordpress-db.ts';
import { ensureQuarantineTable } from './quarantine.ts';

/**
 * The agent's own tables in the WordPress database (documented in agent-tables.md):
 * `wp_edge_applied` makes applying a comment idempotent (its primary key is the edge id),
 * `wp_edge_state` holds the cursor, written in the same transaction as the comments, and
 * `wp_edge_quarantine` keeps the events the database refuses.
 */
export async function ensureAgentTables(db: WordPressDb): Promise<void> {
  await db.pool.query(
    `CREATE TABLE IF NOT EXISTS ${db.table('wp_edge_applied')} (
      edge_id VARCHAR(40) NOT NULL PRIMARY KEY,
      comment_id BIGINT UNSIGNED NOT NULL,
      applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      reported_by VARCHAR(64) NOT NULL DEFAULT '',
      known_state VARCHAR(100) NOT NULL DEFAULT '',
      KEY comment_id (comment_id),
      KEY reported_by (reported_by)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  );
  await db.pool.query(
    `CREATE TABLE IF NOT EXISTS ${db.table('wp_edge_state')} (
      name VARCHAR(64) NOT NULL PRIMARY KEY,
      value BIGINT NOT NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  );
  await db.pool.query(
    `INSERT IGNORE INTO ${db.table('wp_edge_state')} (name, value) VALUES ('comment_cursor', 0)`,
  );
  await ensureQuarantineTable(db);
}

/** The log position this database has applied (read without a lock). */
export async function readCursor(db: WordPressDb): Promise<number> {
  const [rows] = await db.pool.query(
    `SELECT value FROM ${db.table('wp_edge_state')} WHERE name = 'comment_cursor'`,
  );
  return Number((rows as { value: number }[])[0]?.value ?? 0);
}

/**
 * The ids this database gave edge comments that this node has not told the edge yet: after
 * a copy of another node's database, the copied rows carry that node's id and are told again.
 */
export async function unreportedLocations(db: WordPressDb, nodeId: string, limit: number) {
  const [rows] = await db.pool.query(
    `SELECT edge_id, comment_id FROM ${db.table('wp_edge_applied')} WHERE reported_by <> ? AND comment_id > 0 LIMIT ?`,
    [nodeId, limit],
  );
  return (rows as { edge_id: string; comment_id: number }[]).map((row) => ({
    commentId: row.edge_id,
    wpId: Number(row.comment_id),
  }));
}

/**
 * Marks locations as told to the edge by this node. The cursor row is locked first, as an
 * applying transaction locks it, so the two take turns instead of deadlocking over rows a
 * moderation event updates while the report of the page before is still being marked.
 */
export async function markReported(
  db: WordPressDb,
  nodeId: string,
  commentIds: string[],
): Promise<void> {
  if (commentIds.length === 0) return;
  await inTransaction(db, async (connection) => {
    await connection.query(
      `SELECT value FROM ${db.table('wp_edge_state')} WHERE name = 'comment_cursor' FOR UPDATE`,
    );
    await connection.query(
      `UPDATE ${db.table('wp_edge_applied')} SET reported_by = ? WHERE edge_id IN (?)`,
      [nodeId, commentIds],
    );
  });
}

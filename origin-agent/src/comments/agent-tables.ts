import type { WordPressDb } from '../db/wordpress-db.ts';

/**
 * The agent's own tables in the WordPress database (documented in agent-tables.md):
 * `wp_edge_applied` makes applying a comment idempotent (its primary key is the edge id),
 * `wp_edge_state` holds the cursor, written in the same transaction as the comments.
 */
export async function ensureAgentTables(db: WordPressDb): Promise<void> {
  await db.pool.query(
    `CREATE TABLE IF NOT EXISTS ${db.table('wp_edge_applied')} (
      edge_id VARCHAR(40) NOT NULL PRIMARY KEY,
      comment_id BIGINT UNSIGNED NOT NULL,
      applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      KEY comment_id (comment_id)
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
}

/** The log position this database has applied (read without a lock). */
export async function readCursor(db: WordPressDb): Promise<number> {
  const [rows] = await db.pool.query(
    `SELECT value FROM ${db.table('wp_edge_state')} WHERE name = 'comment_cursor'`,
  );
  return Number((rows as { value: number }[])[0]?.value ?? 0);
}

import type { CommentEvent } from '@wp-edge/core';
import type { RowDataPacket } from 'mysql2/promise';
import { inTransaction, type WordPressDb } from '../db/wordpress-db.ts';

// MariaDB's answers for a value that no retry will make fit: too long, not valid for the
// column's character set, out of range, or wrong for the column's type.
const DATA_ERRORS = new Set([
  'ER_DATA_TOO_LONG',
  'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD',
  'ER_TRUNCATED_WRONG_VALUE',
  'ER_WARN_DATA_OUT_OF_RANGE',
  'ER_BAD_NULL_ERROR',
]);

/** Whether an error means this data can never be written, rather than that the database is away. */
export function isDataError(error: unknown): boolean {
  return DATA_ERRORS.has(String((error as { code?: unknown }).code));
}

/** The agent's table of log events the database refused (documented in agent-tables.md). */
export async function ensureQuarantineTable(db: WordPressDb): Promise<void> {
  await db.pool.query(
    `CREATE TABLE IF NOT EXISTS ${db.table('wp_edge_quarantine')} (
      seq BIGINT NOT NULL PRIMARY KEY,
      event LONGTEXT NOT NULL,
      error VARCHAR(500) NOT NULL,
      quarantined_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  );
}

/**
 * Sets aside one event the database refuses, with the reason, and moves the cursor past it
 * in the same transaction, so the node goes on with the rest of the log. The event is kept
 * whole here (and in the edge's log) for the operator to apply by hand.
 */
export async function quarantineEvent(
  db: WordPressDb,
  event: CommentEvent,
  error: unknown,
): Promise<void> {
  await inTransaction(db, async (connection) => {
    const [state] = await connection.query<RowDataPacket[]>(
      `SELECT value FROM ${db.table('wp_edge_state')} WHERE name = 'comment_cursor' FOR UPDATE`,
    );
    if (Number(state[0]?.value ?? 0) >= event.seq) return;
    await connection.query(
      `INSERT IGNORE INTO ${db.table('wp_edge_quarantine')} (seq, event, error) VALUES (?, ?, ?)`,
      [event.seq, JSON.stringify(event), String((error as Error).message).slice(0, 500)],
    );
    await connection.query(
      `UPDATE ${db.table('wp_edge_state')} SET value = ? WHERE name = 'comment_cursor'`,
      [event.seq],
    );
  });
}

/** How many events this database has set aside. */
export async function quarantinedCount(db: WordPressDb): Promise<number> {
  const [rows] = await db.pool.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM ${db.table('wp_edge_quarantine')}`,
  );
  return Number(rows[0]?.n ?? 0);
}

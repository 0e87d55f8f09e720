import type { WordPressDb } from '../db/wordpress-db.ts';

/** Prefixes (after the install's) of the tables an import stages new content and old content in. */
export const STAGING_PREFIX = 'wpe_new_';
export const RETIRED_PREFIX = 'wpe_old_';

/** The node-local sync state: never dumped, never replaced by an import. */
export const SYNC_STATE_TABLE = 'wp_edge_sync';

/** What the primary last published of each public post, for the edge-cache purges (node-local too). */
export const PUBLISHED_PAGES_TABLE = 'wp_edge_published_pages';

/** The agent's node-local tables: never dumped, never replaced by an import, no change to publish. */
export const NODE_LOCAL_TABLES: readonly string[] = [SYNC_STATE_TABLE, PUBLISHED_PAGES_TABLE];

/**
 * The node's own sync state (agent-tables.md): which generation it serves, and which it last
 * published. Kept out of every dump, so a swap never brings another node's.
 */
export async function ensureSyncStateTable(db: WordPressDb): Promise<void> {
  await db.pool.query(
    `CREATE TABLE IF NOT EXISTS ${db.table(SYNC_STATE_TABLE)} (
      name VARCHAR(64) NOT NULL PRIMARY KEY,
      value VARCHAR(255) NOT NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  );
}

export async function readSyncState(db: WordPressDb, name: string): Promise<string | null> {
  await ensureSyncStateTable(db);
  const [rows] = await db.pool.query(
    `SELECT value FROM ${db.table(SYNC_STATE_TABLE)} WHERE name = ?`,
    [name],
  );
  return (rows as { value: string }[])[0]?.value ?? null;
}

export async function writeSyncState(db: WordPressDb, name: string, value: string): Promise<void> {
  await ensureSyncStateTable(db);
  await db.pool.query(
    `INSERT INTO ${db.table(SYNC_STATE_TABLE)} (name, value) VALUES (?, ?) ON DUPLICATE KEY UPDATE value = VALUES(value)`,
    [name, value],
  );
}

/**
 * The install's tables that make up its content, by name without the prefix: every base table
 * with the prefix but the agent's node-local tables and an import's staging or retired tables.
 */
export async function contentTables(db: WordPressDb, prefix: string): Promise<string[]> {
  const [rows] = await db.pool.query<import('mysql2').RowDataPacket[]>(
    "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
  );
  return rows
    .map((row) => String(row.name))
    .filter((name) => name.startsWith(prefix))
    .map((name) => name.slice(prefix.length))
    .filter(
      (name) =>
        !NODE_LOCAL_TABLES.includes(name) &&
        !name.startsWith(STAGING_PREFIX) &&
        !name.startsWith(RETIRED_PREFIX),
    )
    .sort();
}

import type { AgentConfig } from '@wp-edge/core';
import mysql from 'mysql2/promise';

/** The node's WordPress database, with its table prefix. */
export interface WordPressDb {
  pool: mysql.Pool;
  /** A WordPress table's full name, e.g. `table('postmeta')` → `wp_postmeta`. */
  table(name: string): string;
  close(): Promise<void>;
}

/** Connects to the node's WordPress database (MariaDB or MySQL) as the config says. */
export function connectWordPress(database: AgentConfig['database']): WordPressDb {
  const pool = mysql.createPool({
    host: database.host,
    port: database.port,
    user: database.user,
    password: database.password,
    database: database.name,
    connectionLimit: 4,
    // One statement per query: a value that slipped past its placeholder can never stack a second.
    multipleStatements: false,
    charset: 'utf8mb4',
  });
  return {
    pool,
    table: (name) => `\`${database.tablePrefix}${name}\``,
    close: () => pool.end(),
  };
}

/** Runs `work` in one transaction on one connection: committed if it returns, rolled back if it throws. */
export async function inTransaction<T>(
  db: WordPressDb,
  work: (connection: mysql.PoolConnection) => Promise<T>,
): Promise<T> {
  const connection = await db.pool.getConnection();
  try {
    await connection.beginTransaction();
    const result = await work(connection);
    await connection.commit();
    return result;
  } catch (error) {
    await connection.rollback();
    throw error;
  } finally {
    connection.release();
  }
}

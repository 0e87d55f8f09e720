import type { AgentConfig } from '@wp-edge/core';
import mysql from 'mysql2/promise';
import pRetry from 'p-retry';

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

// InnoDB's answer to a transaction it rolled back to break a deadlock: running it again is safe.
const ER_LOCK_DEADLOCK = 1213;

async function once<T>(
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

/**
 * Runs `work` in one transaction on one connection: committed if it returns, rolled back if it
 * throws. A transaction InnoDB picked as a deadlock's victim (WordPress or an import holding
 * the same rows in another order) runs again, up to twice: `work` must only touch the database.
 */
export function inTransaction<T>(
  db: WordPressDb,
  work: (connection: mysql.PoolConnection) => Promise<T>,
): Promise<T> {
  return pRetry(() => once(db, work), {
    retries: 2,
    minTimeout: 20,
    randomize: true,
    shouldRetry: ({ error }) => (error as { errno?: number }).errno === ER_LOCK_DEADLOCK,
  });
}

import type { Manifest } from '@wp-edge/core';
import type { RowDataPacket } from 'mysql2/promise';
import type { WordPressDb } from '../db/wordpress-db.ts';
import { prefetched } from './in-parallel.ts';
import { RETIRED_PREFIX, STAGING_PREFIX } from './sync-tables.ts';

/** Progress of an import: so much done of so much, in what. */
export type ImportProgress = (step: {
  phase: 'tables' | 'files';
  done: number;
  total: number;
}) => void;

const quoted = (name: string) => `\`${name}\``;

/** Chunks downloaded while the one before is loaded. */
const DOWNLOADS_AHEAD = 4;

/**
 * Loads every table of a generation into staging tables beside the live ones, each chunk
 * checked against its hash before a row of it is loaded. Live tables are not touched: a
 * crash here leaves the old content serving, and the next import starts the staging over.
 */
export async function stageTables(
  db: WordPressDb,
  fetchChunk: (chunk: { sha256: string; size: number }) => Promise<Buffer>,
  manifest: Manifest,
  tablePrefix: string,
  progress: ImportProgress,
): Promise<void> {
  const total = manifest.tables.reduce((sum, table) => sum + table.chunks.length, 0);
  let done = 0;
  const connection = await db.pool.getConnection();
  try {
    // As mysqldump loads: WordPress's zero dates, row id 0, no checks between tables.
    await connection.query(
      "SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO', foreign_key_checks = 0, unique_checks = 0",
    );
    for (const table of manifest.tables) {
      const staging = `${tablePrefix}${STAGING_PREFIX}${table.name}`;
      await connection.query(`DROP TABLE IF EXISTS ${quoted(staging)}`);
      await connection.query(table.create.replace('{{table}}', quoted(staging)));
      await connection.beginTransaction();
      try {
        const chunks = prefetched(table.chunks, DOWNLOADS_AHEAD, fetchChunk);
        for await (const bytes of chunks) {
          for (const line of bytes.toString('utf8').split('\n'))
            if (line) await connection.query(`INSERT INTO ${quoted(staging)} VALUES ${line}`);
          progress({ phase: 'tables', done: ++done, total });
        }
        await connection.commit();
      } catch (error) {
        // Else the pooled connection keeps the transaction, and its locks, for whoever is next.
        await connection.rollback();
        throw error;
      }
    }
  } finally {
    connection.release();
  }
}

/** Keeps the node's own values of these options in the staged options table. */
export async function keepLocalOptions(
  db: WordPressDb,
  tablePrefix: string,
  optionNames: string[],
): Promise<void> {
  if (optionNames.length === 0) return;
  const staging = quoted(`${tablePrefix}${STAGING_PREFIX}options`);
  const live = quoted(`${tablePrefix}options`);
  await db.pool.query(`DELETE FROM ${staging} WHERE option_name IN (?)`, [optionNames]);
  await db.pool.query(
    `INSERT INTO ${staging} (option_name, option_value, autoload) SELECT option_name, option_value, autoload FROM ${live} WHERE option_name IN (?)`,
    [optionNames],
  );
}

async function existingTables(db: WordPressDb): Promise<Set<string>> {
  const [rows] = await db.pool.query<RowDataPacket[]>(
    'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()',
  );
  return new Set(rows.map((row) => String(row.name)));
}

/**
 * Swaps the staged tables in with ONE `RENAME TABLE`: readers see the old content or the new,
 * never a mix or an empty database. The old tables are dropped after.
 */
export async function swapTables(db: WordPressDb, manifest: Manifest, tablePrefix: string) {
  const before = await existingTables(db);
  const retired = manifest.tables.map((t) => `${tablePrefix}${RETIRED_PREFIX}${t.name}`);
  for (const name of retired)
    if (before.has(name)) await db.pool.query(`DROP TABLE ${quoted(name)}`);
  const renames = manifest.tables.flatMap((table) => {
    const live = `${tablePrefix}${table.name}`;
    const staging = `${tablePrefix}${STAGING_PREFIX}${table.name}`;
    const old = `${tablePrefix}${RETIRED_PREFIX}${table.name}`;
    return before.has(live)
      ? [`${quoted(live)} TO ${quoted(old)}`, `${quoted(staging)} TO ${quoted(live)}`]
      : [`${quoted(staging)} TO ${quoted(live)}`];
  });
  await db.pool.query(`RENAME TABLE ${renames.join(', ')}`);
  const after = await existingTables(db);
  for (const name of retired)
    if (after.has(name)) await db.pool.query(`DROP TABLE ${quoted(name)}`);
}

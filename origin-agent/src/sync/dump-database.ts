import type { ManifestTable } from '@wp-edge/core';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import type { WordPressDb } from '../db/wordpress-db.ts';
import { type Chunk, rowChunker } from './chunker.ts';
import { contentTables } from './sync-tables.ts';

type ColumnKind = 'number' | 'binary' | 'text';

const NUMERIC = new Set([
  'tinyint',
  'smallint',
  'mediumint',
  'int',
  'bigint',
  'decimal',
  'float',
  'double',
  'year',
]);
const BINARY = new Set([
  'binary',
  'varbinary',
  'tinyblob',
  'blob',
  'mediumblob',
  'longblob',
  'bit',
]);

interface TypeCastField {
  name: string;
  string(): string | null;
  buffer(): Buffer | null;
}

async function columnKinds(connection: mysql.PoolConnection, table: string) {
  const [rows] = await connection.query<RowDataPacket[]>(
    'SELECT COLUMN_NAME AS name, DATA_TYPE AS type, COLUMN_KEY AS columnKey FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [table],
  );
  const kinds = new Map<string, ColumnKind>();
  for (const row of rows) {
    const type = String(row.type).toLowerCase();
    kinds.set(
      String(row.name),
      NUMERIC.has(type) ? 'number' : BINARY.has(type) ? 'binary' : 'text',
    );
  }
  const primary = rows.filter((row) => row.columnKey === 'PRI').map((row) => String(row.name));
  return { kinds, primary };
}

/** Each value as the SQL literal that loads it back exactly (text as the server sent it: dates stay `0000-00-00`). */
function literalCast(kinds: Map<string, ColumnKind>) {
  return (field: TypeCastField): string => {
    const kind = kinds.get(field.name) ?? 'text';
    if (kind === 'binary') {
      const bytes = field.buffer();
      return bytes === null ? 'NULL' : `X'${bytes.toString('hex')}'`;
    }
    const text = field.string();
    if (text === null) return 'NULL';
    return kind === 'number' ? text : mysql.escape(text);
  };
}

async function dumpTable(
  connection: mysql.PoolConnection,
  table: string,
  emit: (chunk: Chunk) => Promise<void>,
): Promise<{ create: string; rows: number; chunks: ManifestTable['chunks'] }> {
  const [created] = await connection.query<RowDataPacket[]>(`SHOW CREATE TABLE \`${table}\``);
  const create = String(created[0]?.['Create Table']).replace(
    /^CREATE TABLE `[^`]+`/,
    'CREATE TABLE {{table}}',
  );
  const { kinds, primary } = await columnKinds(connection, table);
  const order = primary.length > 0 ? ` ORDER BY ${primary.map((c) => `\`${c}\``).join(', ')}` : '';
  const chunks: ManifestTable['chunks'] = [];
  let rows = 0;
  const chunker = rowChunker(async (chunk) => {
    chunks.push({ sha256: chunk.sha256, size: chunk.bytes.length, rows: chunk.rows });
    await emit(chunk);
  });
  // The callback connection underneath: only it streams rows.
  const raw = connection.connection as unknown as import('mysql2').Connection;
  const stream = raw
    .query({
      sql: `SELECT * FROM \`${table}\`${order}`,
      rowsAsArray: true,
      typeCast: literalCast(kinds) as never,
    })
    .stream();
  for await (const row of stream as AsyncIterable<string[]>) {
    rows++;
    await chunker.add(row[0] ?? '', `(${row.join(',')})`);
  }
  await chunker.end();
  return { create, rows, chunks };
}

/**
 * Dumps every content table of the install in one consistent snapshot (as
 * `mariadb-dump --single-transaction` does): the comments with the agent's cursor and applied
 * ids as they were at one instant. Rows stream through; each chunk goes to `emit` as it is cut.
 * `alsoRead` reads more in the same snapshot, so what it finds is exactly what the dump holds.
 */
export async function dumpDatabase(
  db: WordPressDb,
  tablePrefix: string,
  emit: (chunk: Chunk) => Promise<void>,
  alsoRead?: (connection: mysql.PoolConnection) => Promise<void>,
): Promise<{ tables: ManifestTable[]; commentCursor: number }> {
  const connection = await db.pool.getConnection();
  try {
    await connection.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await connection.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    const tables: ManifestTable[] = [];
    for (const name of await contentTables(db, tablePrefix)) {
      tables.push({ name, ...(await dumpTable(connection, `${tablePrefix}${name}`, emit)) });
    }
    const [state] = tables.some((table) => table.name === 'wp_edge_state')
      ? await connection.query<RowDataPacket[]>(
          `SELECT value FROM \`${tablePrefix}wp_edge_state\` WHERE name = 'comment_cursor'`,
        )
      : [[]];
    await alsoRead?.(connection);
    await connection.query('COMMIT');
    return { tables, commentCursor: Number(state[0]?.value ?? 0) };
  } finally {
    connection.release();
  }
}

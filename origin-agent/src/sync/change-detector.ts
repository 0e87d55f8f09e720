import { lstat } from 'node:fs/promises';
import path from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import type { WordPressDb } from '../db/wordpress-db.ts';
import { contentFilePaths } from './content-files.ts';
import { NODE_LOCAL_TABLES } from './sync-tables.ts';

/**
 * A cheap fingerprint of the database: each table's last write as InnoDB keeps it
 * (`information_schema.TABLES.UPDATE_TIME`, whole seconds), with the server's clock.
 */
async function databaseFingerprint(db: WordPressDb, tablePrefix: string) {
  const [rows] = await db.pool.query<RowDataPacket[]>(
    "SELECT TABLE_NAME AS name, UPDATE_TIME AS updated, NOW() AS now FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
  );
  const ours = rows.filter(
    (row) =>
      String(row.name).startsWith(tablePrefix) &&
      !NODE_LOCAL_TABLES.includes(String(row.name).slice(tablePrefix.length)),
  );
  const now = rows[0] ? new Date(rows[0].now).getTime() : Date.now();
  const latestWrite = Math.max(
    0,
    ...ours.map((row) => (row.updated ? new Date(row.updated).getTime() : 0)),
  );
  return {
    key: ours
      .map((row) => `${row.name}@${row.updated ? new Date(row.updated).getTime() : '-'}`)
      .join(','),
    // A write in the second the fingerprint was taken may not move it again: look once more.
    recent: now - latestWrite < 2_000,
  };
}

/** A cheap fingerprint of the content files: every path with its size and mtime. */
async function filesFingerprint(contentDir: string): Promise<string> {
  const parts: string[] = [];
  for await (const relative of contentFilePaths(contentDir)) {
    const stats = await lstat(path.join(contentDir, relative)).catch(() => null);
    if (stats) parts.push(`${relative}:${stats.size}:${stats.mtimeMs}`);
  }
  return parts.join('\n');
}

/**
 * Tells whether the node's content may have changed since it was last settled (published):
 * polled every few seconds, so a publish follows a change within seconds, and a quiet site
 * is never dumped. `settle` is called once the change is published; a failed publish leaves
 * the change to be seen again.
 */
export function changeDetector(db: WordPressDb, tablePrefix: string, contentDir: string) {
  let settled: string | undefined;
  let lookAgain = true;
  return async function check(): Promise<{ changed: boolean; settle(): void }> {
    const [database, files] = await Promise.all([
      databaseFingerprint(db, tablePrefix),
      filesFingerprint(contentDir),
    ]);
    const key = `${database.key}\n${files}`;
    return {
      changed: lookAgain || key !== settled,
      settle() {
        settled = key;
        lookAgain = database.recent;
      },
    };
  };
}

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generationTimeMs, keptSnapshotId, type Logger } from '@wp-edge/core';
import type { RowDataPacket } from 'mysql2/promise';
import type { WordPressDb } from '../db/wordpress-db.ts';
import { dumpDatabase } from './dump-database.ts';
import { writeSyncState } from './sync-tables.ts';

/** Where a node keeps its own state before an import replaces it: inside wp-content, never synced. */
export const KEPT_DIR = '.wp-edge-kept';

/**
 * Before an import replaces this node's database: when posts were edited here after the
 * generation it serves (a standby's edits while the primary was away), dumps the database as
 * it is into `wp-content/.wp-edge-kept/<time>/`, says so in the log and records it in the sync
 * state (`kept_edits`) for heartbeats to tell the edge, so nothing the owner wrote is destroyed
 * silently. Returns the folder, or null when there was nothing of its own.
 */
export async function keepLocalEdits(options: {
  db: WordPressDb;
  tablePrefix: string;
  contentDir: string;
  applied: string | null;
  logger: Logger;
}): Promise<string | null> {
  const sinceMs = options.applied ? generationTimeMs(options.applied) : Number.NaN;
  if (Number.isNaN(sinceMs)) return null;
  const since = new Date(sinceMs);
  const [rows] = await options.db.pool.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM ${options.db.table('posts')} WHERE post_modified_gmt > ?`,
    [since.toISOString().slice(0, 19).replace('T', ' ')],
  );
  const edited = Number(rows[0]?.n ?? 0);
  if (edited === 0) return null;
  const snapshot = keptSnapshotId(new Date());
  const folder = path.join(options.contentDir, KEPT_DIR, snapshot);
  await mkdir(folder, { recursive: true });
  const dump = await dumpDatabase(options.db, options.tablePrefix, async (chunk) => {
    await writeFile(path.join(folder, chunk.sha256), chunk.bytes);
  });
  await writeFile(
    path.join(folder, 'manifest.json'),
    JSON.stringify({ replacedGeneration: options.applied, editedPosts: edited, ...dump }, null, 2),
  );
  await writeSyncState(
    options.db,
    'kept_edits',
    JSON.stringify({ snapshot, editedPosts: edited, replacedGeneration: options.applied }),
  );
  options.logger.error(
    'this node had edits of its own since the generation it served; its database is kept before the import replaces it: carry the edits to the primary',
    { editedPosts: edited, keptIn: folder, generation: options.applied },
  );
  return folder;
}

import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generationTimeMs, keptSnapshotId, type Logger } from '@wp-edge/core';
import type { RowDataPacket } from 'mysql2/promise';
import type { WordPressDb } from '../db/wordpress-db.ts';
import { dumpDatabase } from './dump-database.ts';
import { type KeptOf, keptAlready, pruneKept } from './kept-snapshots.ts';
import { readSyncState, writeSyncState } from './sync-tables.ts';

/**
 * Before an import replaces this node's database: when posts were edited here after the
 * generation it serves (a standby's edits while the primary was away), dumps the database as
 * it is into `<sync.keptDir>/<time>/` (outside wp-content: it holds the users' password hashes), says so in the log and records it in the sync
 * state (`kept_edits`) for heartbeats to tell the edge, so nothing the owner wrote is destroyed
 * silently. A retry of a failed import over the same edits reuses the snapshot they are kept in
 * already; only the newest `KEPT_SNAPSHOTS` are held. Returns the folder, or null when there
 * was nothing of its own.
 */
export async function keepLocalEdits(options: {
  db: WordPressDb;
  tablePrefix: string;
  keptDir: string;
  applied: string | null;
  logger: Logger;
}): Promise<string | null> {
  const applied = options.applied;
  const sinceMs = applied ? generationTimeMs(applied) : Number.NaN;
  if (applied === null || Number.isNaN(sinceMs)) return null;
  const since = new Date(sinceMs);
  const [rows] = await options.db.pool.query<RowDataPacket[]>(
    `SELECT ID AS id, CAST(post_modified_gmt AS CHAR) AS modified FROM ${options.db.table('posts')} WHERE post_modified_gmt > ? ORDER BY ID`,
    [since.toISOString().slice(0, 19).replace('T', ' ')],
  );
  const edited = rows.length;
  if (edited === 0) return null;
  const of: KeptOf = {
    replacedGeneration: applied,
    edits: createHash('sha256')
      .update(rows.map((row) => `${row.id} ${row.modified}`).join('\n'))
      .digest('hex'),
  };
  const last = await readSyncState(options.db, 'kept_edits');
  const lastSnapshot = last ? (JSON.parse(last) as { snapshot: string }).snapshot : null;
  if (lastSnapshot && (await keptAlready(options.keptDir, lastSnapshot, of))) {
    const folder = path.join(options.keptDir, lastSnapshot);
    options.logger.info('this node’s own edits are kept already, from an import that failed', {
      keptIn: folder,
    });
    return folder;
  }
  const snapshot = keptSnapshotId(new Date());
  const folder = path.join(options.keptDir, snapshot);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const dump = await dumpDatabase(options.db, options.tablePrefix, async (chunk) => {
    await writeFile(path.join(folder, chunk.sha256), chunk.bytes, { mode: 0o600 });
  });
  await writeFile(
    path.join(folder, 'manifest.json'),
    JSON.stringify({ ...of, editedPosts: edited, ...dump }, null, 2),
    { mode: 0o600 },
  );
  await writeSyncState(
    options.db,
    'kept_edits',
    JSON.stringify({ snapshot, editedPosts: edited, replacedGeneration: applied }),
  );
  options.logger.error(
    'this node had edits of its own since the generation it served; its database is kept before the import replaces it: carry the edits to the primary',
    { editedPosts: edited, keptIn: folder, generation: applied },
  );
  const pruned = await pruneKept(options.keptDir);
  if (pruned.length > 0)
    options.logger.info('older kept snapshots deleted', { keptDir: options.keptDir, pruned });
  return folder;
}

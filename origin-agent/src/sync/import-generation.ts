import type { Logger } from '@wp-edge/core';
import type { WordPressDb } from '../db/wordpress-db.ts';
import { chunkCache } from './chunk-cache.ts';
import { keepLocalEdits } from './keep-local-edits.ts';
import { moveStagedFiles, removeStaleFiles, stageFiles } from './stage-files.ts';
import { type ImportProgress, keepLocalOptions, stageTables, swapTables } from './stage-tables.ts';
import type { SyncClient } from './sync-client.ts';
import { readSyncState, writeSyncState } from './sync-tables.ts';

export interface ImportOptions {
  db: WordPressDb;
  client: SyncClient;
  tablePrefix: string;
  contentDir: string;
  /** Where this node's own edits are kept before an import replaces them (`sync.keptDir`). */
  keptDir: string;
  /** Where the chunks of the last import are kept, so the next downloads only what changed (`sync.cacheDir`). */
  cacheDir: string;
  /** Options that stay as this node has them (`sync.keepOptions`). */
  keepOptions: string[];
  logger: Logger;
  /** A generation to restore; the newest when left out. */
  generation?: string;
  /** Import even when the node already serves that generation (restore). */
  force?: boolean;
  progress?: ImportProgress;
}

export interface ImportResult {
  /** The generation the node serves now, or null before the primary's first publish. */
  generation: string | null;
  imported: boolean;
  filesMoved: number;
  filesRemoved: number;
  /** Table chunks downloaded from the edge; the others were held from the last import. */
  chunksFetched: number;
  /** Where this node's own edits were kept before the import, if it had any. */
  kept: string | null;
}

/**
 * Makes the node serve a generation: tables staged and files downloaded with every checksum
 * checked first (a mismatch refuses the whole generation), then files moved in, then the
 * tables swapped in with one `RENAME TABLE`. The comment cursor and applied ids arrive in the
 * same swap as the comments, so the agent goes on applying the log from the copied cursor.
 */
export async function importGeneration(options: ImportOptions): Promise<ImportResult> {
  const { db, client, logger } = options;
  const progress = options.progress ?? (() => undefined);
  const applied = await readSyncState(db, 'applied_generation');
  const generation = options.generation ?? (await client.latest());
  if (generation === null || (generation === applied && !options.force))
    return {
      generation: applied,
      imported: false,
      filesMoved: 0,
      filesRemoved: 0,
      chunksFetched: 0,
      kept: null,
    };
  const manifest = await client.manifest(generation);
  const kept = await keepLocalEdits({ ...options, applied });
  const chunks = chunkCache(client, options.cacheDir);
  await stageTables(
    db,
    (chunk) => chunks.get(chunk.sha256, chunk.size),
    manifest,
    options.tablePrefix,
    progress,
  );
  if (manifest.tables.some((table) => table.name === 'options'))
    await keepLocalOptions(db, options.tablePrefix, options.keepOptions);
  const moves = await stageFiles(client, manifest, options.contentDir, progress);
  await moveStagedFiles(options.contentDir, moves);
  await swapTables(db, manifest, options.tablePrefix);
  await writeSyncState(db, 'applied_generation', generation);
  const filesRemoved = await removeStaleFiles(options.contentDir, manifest);
  await chunks.keepOnly(
    new Set(manifest.tables.flatMap((table) => table.chunks.map((chunk) => chunk.sha256))),
  );
  logger.info('content generation imported', {
    generation,
    tables: manifest.tables.length,
    filesMoved: moves.length,
    filesRemoved,
    chunksFetched: chunks.fetched,
  });
  return {
    generation,
    imported: true,
    filesMoved: moves.length,
    filesRemoved,
    chunksFetched: chunks.fetched,
    kept,
  };
}

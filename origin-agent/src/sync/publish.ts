import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type GenerationPurge,
  type Logger,
  type Manifest,
  type ManifestFile,
  manifestBlobs,
  SYNC_PART_BYTES,
} from '@wp-edge/core';
import type { WordPressDb } from '../db/wordpress-db.ts';
import {
  changedPages,
  ensurePublishedPagesTable,
  rememberPublishedPages,
} from './changed-pages.ts';
import { type HashCache, scanContentFiles } from './content-files.ts';
import { dumpDatabase } from './dump-database.ts';
import { inParallel } from './in-parallel.ts';
import type { SyncClient } from './sync-client.ts';
import { writeSyncState } from './sync-tables.ts';

/** Blobs sent at once: each is at most one part, so memory holds a few parts. */
const UPLOADS_AT_ONCE = 4;

export interface PublishOptions {
  db: WordPressDb;
  client: SyncClient;
  siteId: string;
  nodeId: string;
  tablePrefix: string;
  contentDir: string;
  /** Hashes of files seen before, kept between publishes so unchanged files are not read. */
  fileHashes: HashCache;
  logger: Logger;
}

export interface PublishResult {
  /** The generation committed, or null when nothing changed since the newest. */
  generation: string | null;
  uploadedBlobs: number;
  uploadedBytes: number;
  /** What the edge cache is to forget once every serving node holds the generation. */
  purge: GenerationPurge;
}

/** A generation id for now: sortable by time, naming the node. */
export function generationId(nodeId: string, now = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${nodeId}`;
}

function sameContent(a: Manifest, b: Pick<Manifest, 'tables' | 'files'>): boolean {
  const key = (m: Pick<Manifest, 'tables' | 'files'>) =>
    JSON.stringify([
      m.tables.map((t) => [t.name, t.chunks.map((c) => c.sha256)]),
      m.files.map((f) => [f.path, f.mode, f.sha256]),
    ]);
  return key(a) === key(b);
}

async function uploadFile(client: SyncClient, file: ManifestFile, absolute: string) {
  if (file.size <= SYNC_PART_BYTES) return client.putBlob(file.sha256, await readFile(absolute));
  const handle = await open(absolute, 'r');
  try {
    await client.putLargeBlob(file.sha256, file.size, async (offset, length) => {
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, offset);
      return buffer;
    });
  } finally {
    await handle.close();
  }
}

/**
 * Publishes the node's content as a new generation: dumps the database in one consistent
 * snapshot and scans `wp-content`, sends only the blobs the edge lacks (chunks spooled to a
 * temporary folder, never held together in memory), then commits the manifest with the pages
 * the edge cache is to forget (`changed-pages.ts`). Nothing is committed when the content is
 * what the newest generation already holds.
 */
export async function publishGeneration(options: PublishOptions): Promise<PublishResult> {
  const { client, logger } = options;
  const latestId = await client.latest();
  const latest = latestId ? await client.manifest(latestId) : null;
  const known = latest ? manifestBlobs(latest) : new Set<string>();
  const spool = await mkdtemp(path.join(tmpdir(), 'wp-edge-publish-'));
  try {
    const createdAt = new Date();
    const spooled = new Set<string>();
    const pageChanges = path.join(spool, 'page-changes.jsonl');
    let purge = [] as GenerationPurge;
    await ensurePublishedPagesTable(options.db);
    const { tables, commentCursor } = await dumpDatabase(
      options.db,
      options.tablePrefix,
      async (chunk) => {
        if (known.has(chunk.sha256) || spooled.has(chunk.sha256)) return;
        spooled.add(chunk.sha256);
        await writeFile(path.join(spool, chunk.sha256), chunk.bytes);
      },
      async (connection) => {
        purge = await changedPages(connection, options.db, pageChanges);
      },
    );
    const files = await scanContentFiles(options.contentDir, options.fileHashes);
    if (latest && sameContent(latest, { tables, files })) {
      return { generation: null, uploadedBlobs: 0, uploadedBytes: 0, purge: [] };
    }
    const candidates = [
      ...spooled,
      ...files.map((file) => file.sha256).filter((sha) => !known.has(sha)),
    ];
    const missing = await client.missing([...new Set(candidates)]);
    let uploadedBytes = 0;
    let uploadedBlobs = 0;
    await inParallel(
      [...spooled].filter((sha) => missing.delete(sha)),
      UPLOADS_AT_ONCE,
      async (sha) => {
        const bytes = await readFile(path.join(spool, sha));
        await client.putBlob(sha, bytes);
        uploadedBytes += bytes.length;
        uploadedBlobs++;
      },
    );
    const newFiles = files.filter((file) => missing.delete(file.sha256));
    await inParallel(newFiles, UPLOADS_AT_ONCE, async (file) => {
      await uploadFile(client, file, path.join(options.contentDir, file.path));
      uploadedBytes += file.size;
      uploadedBlobs++;
    });
    const manifest: Manifest = {
      generation: generationId(options.nodeId, createdAt),
      siteId: options.siteId,
      nodeId: options.nodeId,
      createdAt: createdAt.toISOString(),
      commentCursor,
      tables,
      files,
      ...(purge.length > 0 ? { purge } : {}),
    };
    const generation = await client.commit(manifest);
    await writeSyncState(options.db, 'published_generation', generation);
    await rememberPublishedPages(options.db, pageChanges);
    logger.info('content generation published', {
      generation,
      tables: tables.length,
      files: files.length,
      uploadedBytes,
      purgedPages: purge === 'site' ? 'site' : purge.length,
    });
    return { generation, uploadedBlobs, uploadedBytes, purge };
  } finally {
    await rm(spool, { recursive: true, force: true });
  }
}

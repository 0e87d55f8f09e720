import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Heartbeat, syncBlobKey } from '@wp-edge/core';
import type { RunningWorkers } from '@wp-edge/workerd-kit';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureAgentTables } from '../src/comments/agent-tables.ts';
import { connectWordPress, type WordPressDb } from '../src/db/wordpress-db.ts';
import { edgeClient } from '../src/edge/edge-client.ts';
import { localChecks, sendHeartbeat } from '../src/heartbeat/heartbeat.ts';
import { contentSync } from '../src/sync/content-sync.ts';
import { BlobIntegrityError } from '../src/sync/fetch-blob.ts';
import { importGeneration } from '../src/sync/import-generation.ts';
import { publishGeneration } from '../src/sync/publish.ts';
import { syncClient } from '../src/sync/sync-client.ts';
import { readSyncState } from '../src/sync/sync-tables.ts';
import { SECONDARY_KEY, startEdge } from './support/edge.ts';
import { quietLogger, syncAgentConfig } from './support/sync-edge.ts';
import { createTestWordPress, type TestWordPress } from './support/wordpress.ts';

let edge: RunningWorkers;
let primary: TestWordPress;
let secondary: TestWordPress;
let primaryDb: WordPressDb;
let secondaryDb: WordPressDb;
let a: Awaited<ReturnType<typeof syncAgentConfig>>;
let b: Awaited<ReturnType<typeof syncAgentConfig>>;

beforeAll(async () => {
  [edge, primary, secondary] = await Promise.all([
    startEdge(['127.0.0.1']),
    createTestWordPress({ posts: 20 }),
    createTestWordPress(),
  ]);
  primaryDb = connectWordPress(primary.database);
  secondaryDb = connectWordPress(secondary.database);
  await Promise.all([ensureAgentTables(primaryDb), ensureAgentTables(secondaryDb)]);
  a = await syncAgentConfig(edge, 'agent-a', primary);
  b = await syncAgentConfig(edge, 'agent-b', secondary, ['blogname']);
});

afterAll(async () => {
  await primaryDb?.close();
  await secondaryDb?.close();
  await primary?.drop();
  await secondary?.drop();
  await edge?.dispose();
});

const publish = () =>
  publishGeneration({
    db: primaryDb,
    client: syncClient(a),
    siteId: 'agent',
    nodeId: 'agent-a',
    tablePrefix: 'wp_',
    contentDir: a.sync.contentDir,
    fileHashes: new Map(),
    logger: quietLogger,
  });

const importLatest = () =>
  importGeneration({
    db: secondaryDb,
    client: syncClient(b),
    tablePrefix: 'wp_',
    contentDir: b.sync.contentDir,
    keptDir: b.sync.keptDir,
    cacheDir: b.sync.cacheDir,
    keepOptions: b.sync.keepOptions,
    logger: quietLogger,
  });

async function postTitles(wordpress: TestWordPress): Promise<string[]> {
  const [rows] = await wordpress.admin.query(
    `SELECT post_title FROM \`${wordpress.database.name}\`.wp_posts WHERE post_type = 'post' AND post_status = 'publish' ORDER BY ID`,
  );
  return (rows as { post_title: string }[]).map((row) => row.post_title);
}

async function option(wordpress: TestWordPress, name: string): Promise<string | undefined> {
  const [rows] = await wordpress.admin.query(
    `SELECT option_value FROM \`${wordpress.database.name}\`.wp_options WHERE option_name = ?`,
    [name],
  );
  return (rows as { option_value: string }[])[0]?.option_value;
}

/** Overwrites the blobs of the newest generation's posts table until `undo` is called. */
async function corruptPosts(): Promise<{ undo(): Promise<void> }> {
  const client = syncClient(b);
  const manifest = await client.manifest((await client.latest()) ?? '');
  const posts = manifest.tables.find((table) => table.name === 'posts');
  const bucket = await edge.miniflare.getR2Bucket('SYNC_BUCKET', 'wp-edge-sync');
  const keys = (posts?.chunks ?? []).map((chunk) => syncBlobKey('agent', chunk.sha256));
  const originals = await Promise.all(
    keys.map(async (key) => new Uint8Array((await (await bucket.get(key))?.arrayBuffer()) ?? [])),
  );
  for (const key of keys) await bucket.put(key, 'tampered');
  return {
    async undo() {
      for (const [i, key] of keys.entries()) await bucket.put(key, originals[i] ?? '');
    },
  };
}

describe('content sync between two WordPress databases through R2', () => {
  beforeEach(async () => {
    await secondary.admin.query(
      `UPDATE \`${secondary.database.name}\`.wp_options SET option_value = 'Node B' WHERE option_name = 'blogname'`,
    );
  });

  it('brings a post published through WordPress, and its uploaded image, to the secondary', async () => {
    const post = await primary.publishPost(
      'Fresh from the primary',
      'photo.png',
      a.sync.contentDir,
    );
    const published = await publish();
    expect(published.generation).toMatch(/-agent-a$/);
    const imported = await importLatest();
    expect(imported).toMatchObject({ generation: published.generation, imported: true });
    expect(await postTitles(secondary)).toEqual(await postTitles(primary));
    expect(await postTitles(secondary)).toContain('Fresh from the primary');
    expect(await readFile(path.join(b.sync.contentDir, post.file))).toEqual(
      await readFile(path.join(a.sync.contentDir, post.file)),
    );
    expect(await option(secondary, 'blogname')).toBe('Node B');
  });

  it('sends only what changed: a one-post edit moves a small share of a full dump', async () => {
    const first = await publish();
    await primary.admin.query(
      `UPDATE \`${primary.database.name}\`.wp_posts SET post_content = 'Edited once' WHERE post_title = 'Post 3'`,
    );
    const edit = await publish();
    expect(edit.generation).not.toBe(first.generation);
    expect(edit.uploadedBlobs).toBeLessThanOrEqual(3);
    const imported = await importLatest();
    // The secondary downloads only the edit's chunks too; the rest it held from the last import.
    expect(imported.chunksFetched).toBeLessThanOrEqual(3);
    const manifest = await syncClient(b).manifest(edit.generation ?? '');
    const chunks = manifest.tables.flatMap((table) => table.chunks.map((chunk) => chunk.sha256));
    expect(chunks.length).toBeGreaterThanOrEqual(10);
    expect((await readdir(b.sync.cacheDir)).sort()).toEqual([...new Set(chunks)].sort());
    expect((await stat(b.sync.cacheDir)).mode & 0o777).toBe(0o700);
    const [edited] = await secondary.admin.query(
      `SELECT post_content FROM \`${secondary.database.name}\`.wp_posts WHERE post_title = 'Post 3'`,
    );
    expect(edited).toEqual([{ post_content: 'Edited once' }]);
  });

  it('commits nothing when nothing changed', async () => {
    await publish();
    expect(await publish()).toEqual({
      generation: null,
      uploadedBlobs: 0,
      uploadedBytes: 0,
      purge: [],
    });
  });

  it('refuses a generation with a corrupted blob and keeps serving the old content', async () => {
    await publish();
    await importLatest();
    const before = await postTitles(secondary);
    await primary.publishPost('Never half there', 'corrupt.png', a.sync.contentDir);
    await publish();
    const corrupt = await corruptPosts();
    try {
      await expect(importLatest()).rejects.toBeInstanceOf(BlobIntegrityError);
      expect(await postTitles(secondary)).toEqual(before);
    } finally {
      await corrupt.undo();
    }
    expect((await importLatest()).imported).toBe(true);
    expect(await postTitles(secondary)).toContain('Never half there');
  });

  it('keeps a standby’s own edits before an import replaces them, and says where', async () => {
    await publish();
    await importLatest();
    await secondary.admin.query(
      `UPDATE \`${secondary.database.name}\`.wp_posts SET post_title = 'Edited on the standby', post_modified_gmt = UTC_TIMESTAMP() + INTERVAL 2 SECOND WHERE post_title = 'Post 5'`,
    );
    await primary.publishPost('Back on the primary', 'back.png', a.sync.contentDir);
    await publish();
    const imported = await importLatest();
    expect(imported.kept).not.toBeNull();
    const folder = imported.kept ?? '';
    const manifest = JSON.parse(await readFile(path.join(folder, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ editedPosts: 1 });
    const chunks = (await readdir(folder)).filter((name) => name !== 'manifest.json');
    const texts = await Promise.all(
      chunks.map((name) => readFile(path.join(folder, name), 'utf8')),
    );
    expect(texts.some((text) => text.includes('Edited on the standby'))).toBe(true);
    expect(await postTitles(secondary)).toEqual(await postTitles(primary));
  });

  it('keeps a standby’s edits once however often the import fails, and again for a new edit', async () => {
    await publish();
    await importLatest();
    const editOnStandby = (title: string, post: string) =>
      secondary.admin.query(
        `UPDATE \`${secondary.database.name}\`.wp_posts SET post_title = ?, post_modified_gmt = UTC_TIMESTAMP() + INTERVAL 2 SECOND WHERE post_title = ?`,
        [title, post],
      );
    const keptState = async () =>
      JSON.parse((await readSyncState(secondaryDb, 'kept_edits')) ?? '{}').snapshot;
    // Older snapshots than the limit are pruned, the newest first kept.
    const old = Array.from(
      { length: 25 },
      (_, i) => `2020-01-${String(i + 1).padStart(2, '0')}T000000000Z`,
    );
    for (const name of old) await mkdir(path.join(b.sync.keptDir, name));
    const before = new Set(await readdir(b.sync.keptDir));
    const added = async () => (await readdir(b.sync.keptDir)).filter((name) => !before.has(name));
    await editOnStandby('Kept once on the standby', 'Post 7');
    await primary.publishPost('Refused thrice', 'thrice.png', a.sync.contentDir);
    await publish();
    const corrupt = await corruptPosts();
    try {
      for (let i = 0; i < 3; i++)
        await expect(importLatest()).rejects.toBeInstanceOf(BlobIntegrityError);
      const [first] = await added();
      expect(await added()).toEqual([first]);
      expect(await keptState()).toBe(first);
      await editOnStandby('Edited again on the standby', 'Post 8');
      await expect(importLatest()).rejects.toBeInstanceOf(BlobIntegrityError);
      await expect(importLatest()).rejects.toBeInstanceOf(BlobIntegrityError);
      expect((await added()).length).toBe(2);
    } finally {
      await corrupt.undo();
    }
    const [, second] = (await added()).sort();
    expect(await keptState()).toBe(second);
    const imported = await importLatest();
    expect(imported.kept).toBe(path.join(b.sync.keptDir, second ?? ''));
    expect((await added()).length).toBe(2);
    const manifest = JSON.parse(
      await readFile(path.join(b.sync.keptDir, second ?? '', 'manifest.json'), 'utf8'),
    );
    expect(manifest).toMatchObject({ editedPosts: 2 });
    expect(await postTitles(secondary)).toEqual(await postTitles(primary));
    const left = (await readdir(b.sync.keptDir)).sort();
    expect(left).toHaveLength(20);
    expect(left).toEqual([...before, ...(await added())].sort().slice(-20));
  });
});

const secondarySync = () => contentSync({ agent: b, db: secondaryDb, logger: quietLogger });

/** The heartbeat the secondary's agent sends with its content sync's state, as `agent-tasks` does. */
async function secondaryHeartbeat(sync: ReturnType<typeof contentSync>): Promise<Heartbeat> {
  const body = await localChecks(secondaryDb, undefined, sync.state);
  await sendHeartbeat(
    secondaryDb,
    edgeClient({ edgeUrl: edge.url.href, ...SECONDARY_KEY }),
    undefined,
    sync.state,
  );
  return Heartbeat.parse(body);
}

describe('heartbeats tell the edge of the content sync', () => {
  it('carry a failed import until a later pass imports the generation', async () => {
    await primary.publishPost('Refused once', 'refused.png', a.sync.contentDir);
    const published = await publish();
    const corrupt = await corruptPosts();
    const sync = secondarySync();
    try {
      await expect(sync.pass()).rejects.toThrow(/corrupt/);
      // A transaction left open on a pooled connection would hold the staging table's lock,
      // and the next import's DROP TABLE from another connection would wait on it for good.
      const [open] = await secondary.admin.query<RowDataPacket[]>(
        'SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id WHERE p.DB = ?',
        [secondary.database.name],
      );
      expect(Number(open[0]?.n)).toBe(0);
      const failing = await secondaryHeartbeat(sync);
      expect(failing.syncFailure?.error).toMatch(
        /^blob [0-9a-f]{64} from the edge is corrupt .*refused, nothing of this generation was applied$/,
      );
      expect(Date.parse(failing.syncFailure?.at ?? '')).toBeGreaterThan(Date.now() - 60_000);
    } finally {
      await corrupt.undo();
    }
    await sync.pass();
    const healed = await secondaryHeartbeat(sync);
    expect(healed.syncFailure).toBeUndefined();
    expect(healed.contentGeneration).toBe(published.generation);
  });

  it('carry the snapshot of a node’s own edits kept before an import, also after the agent restarts', async () => {
    const sync = secondarySync();
    await publish();
    await sync.pass();
    const replaced = sync.state.contentGeneration;
    const earlier = sync.state.keptEdits?.snapshot;
    await secondary.admin.query(
      `UPDATE \`${secondary.database.name}\`.wp_posts SET post_title = 'Edited on the standby', post_modified_gmt = UTC_TIMESTAMP() + INTERVAL 2 SECOND WHERE post_title = 'Post 2'`,
    );
    await primary.publishPost('Back on the primary', 'back.png', a.sync.contentDir);
    await publish();
    await sync.pass();
    const told = await secondaryHeartbeat(sync);
    expect(told.keptEdits?.snapshot).not.toBe(earlier);
    expect(told.keptEdits).toEqual({
      snapshot: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{9}Z$/),
      editedPosts: 1,
      replacedGeneration: replaced,
    });
    const restarted = secondarySync();
    await restarted.pass();
    expect((await secondaryHeartbeat(restarted)).keptEdits).toEqual(told.keptEdits);
    const kept = path.join(b.sync.keptDir, told.keptEdits?.snapshot ?? '');
    expect(JSON.parse(await readFile(path.join(kept, 'manifest.json'), 'utf8'))).toMatchObject({
      editedPosts: 1,
    });
    // The dump holds wp_users' password hashes: readable by the agent alone, and nowhere the
    // web server serves.
    expect((await stat(kept)).mode & 0o777).toBe(0o700);
    for (const file of await readdir(kept))
      expect((await stat(path.join(kept, file))).mode & 0o777).toBe(0o600);
    const served = await readdir(b.sync.contentDir, { recursive: true });
    expect(
      served.filter((file) => !/^(uploads|themes|plugins|mu-plugins)(\/|$)/.test(file)),
    ).toEqual([]);
  });
});

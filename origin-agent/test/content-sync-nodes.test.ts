import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningWorkers } from '@wp-edge/workerd-kit';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAgentTables } from '../src/comments/agent-tables.ts';
import { pullAndApply } from '../src/comments/comment-sync.ts';
import { connectWordPress, type WordPressDb } from '../src/db/wordpress-db.ts';
import { edgeClient } from '../src/edge/edge-client.ts';
import { importGeneration } from '../src/sync/import-generation.ts';
import { publishGeneration } from '../src/sync/publish.ts';
import { syncClient } from '../src/sync/sync-client.ts';
import { startAgent, writeAgentConfig } from './support/agent-process.ts';
import { seedComments, startEdge } from './support/edge.ts';
import { quietLogger, syncAgentConfig } from './support/sync-edge.ts';
import { createTestWordPress, type TestWordPress } from './support/wordpress.ts';

const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

let edge: RunningWorkers;
let primary: TestWordPress;
let primaryDb: WordPressDb;
let a: Awaited<ReturnType<typeof syncAgentConfig>>;
let dir: string;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  [edge, primary, dir] = await Promise.all([
    startEdge(['127.0.0.1']),
    createTestWordPress({ posts: 5 }),
    mkdtemp(path.join(tmpdir(), 'agent-content-')),
  ]);
  primaryDb = connectWordPress(primary.database);
  await ensureAgentTables(primaryDb);
  // Enough rows that loading them takes seconds: a kill lands in the middle.
  await primaryDb.pool.query(
    "INSERT INTO wp_postmeta (post_id, meta_key, meta_value) SELECT 1, CONCAT('bulk_', seq), REPEAT('x', 200) FROM seq_1_to_30000",
  );
  a = await syncAgentConfig(edge, 'agent-a', primary);
});

afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  await primaryDb?.close();
  await primary?.drop();
  await edge?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
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

/** A node with nothing in it: an empty database and an empty wp-content, as `join` expects. */
async function emptyNode() {
  const admin = await mysql.createConnection(MARIADB);
  const name = `wpedge_join_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  const database = { ...MARIADB, name, tablePrefix: 'wp_' };
  const db = connectWordPress(database);
  const config = await syncAgentConfig(edge, 'agent-b', { database });
  cleanup.push(async () => {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
    await rm(config.sync.contentDir, { recursive: true, force: true });
  });
  const configFile = await writeAgentConfig(
    await mkdtemp(path.join(dir, 'node-')),
    edge.url.href,
    { database },
    { sync: config.sync },
  );
  return { database, db, config, configFile };
}

async function rows(db: WordPressDb, sql: string): Promise<RowDataPacket[]> {
  const [result] = await db.pool.query<RowDataPacket[]>(sql);
  return result;
}

const titles = async (db: WordPressDb) =>
  (await rows(db, "SELECT post_title FROM wp_posts WHERE post_type = 'post' ORDER BY ID")).map(
    (row) => String(row.post_title),
  );

async function stagedRows(db: WordPressDb): Promise<number> {
  const tables = await rows(
    db,
    "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'wp_wpe_new_postmeta'",
  );
  if (tables.length === 0) return 0;
  return Number((await rows(db, 'SELECT COUNT(*) AS n FROM wp_wpe_new_postmeta'))[0]?.n);
}

// Each test publishes and imports a few MB through workerd: minutes on a busy 2-core machine.
describe('nodes built and kept by the content sync', { timeout: 240_000 }, () => {
  it('join makes an empty node a full copy of the primary', async () => {
    await primary.publishPost('Joined content', 'join.png', a.sync.contentDir);
    await publish();
    const node = await emptyNode();
    const join = startAgent(node.configFile, 'join');
    expect(await join.exited, join.errors()).toBe(0);
    expect(join.output()).toContain('node serves generation');
    expect(await titles(node.db)).toEqual(await titles(primaryDb));
    expect(
      await readdir(path.join(node.config.sync.contentDir, 'uploads'), { recursive: true }),
    ).toEqual(await readdir(path.join(a.sync.contentDir, 'uploads'), { recursive: true }));
  });

  it('a kill -9 in the middle of an import leaves the old content serving, and the next run completes', async () => {
    await publish();
    const node = await emptyNode();
    expect(await startAgent(node.configFile, 'join').exited).toBe(0);
    const before = await titles(node.db);
    await primary.publishPost('After the crash', 'crash.png', a.sync.contentDir);
    await primary.admin.query(
      `UPDATE \`${primary.database.name}\`.wp_postmeta SET meta_value = REPEAT('y', 200) WHERE meta_key LIKE 'bulk_%'`,
    );
    await publish();
    const importing = startAgent(node.configFile, 'join');
    await expect
      .poll(() => stagedRows(node.db), { timeout: 60_000, interval: 50 })
      .toBeGreaterThan(0);
    importing.child.kill('SIGKILL');
    await importing.exited;
    expect(await titles(node.db)).toEqual(before);
    expect(
      (await rows(node.db, "SELECT COUNT(*) AS n FROM wp_postmeta WHERE meta_value LIKE 'y%'"))[0]
        ?.n,
    ).toBe(0);
    const again = startAgent(node.configFile, 'join');
    expect(await again.exited, again.errors()).toBe(0);
    expect(await titles(node.db)).toContain('After the crash');
    expect(await stagedRows(node.db)).toBe(0);
  });

  it('restore brings back a deleted database with every comment in it', async () => {
    await primary.admin.query(
      `INSERT INTO \`${primary.database.name}\`.wp_comments (comment_post_ID, comment_author, comment_content, comment_approved, comment_date, comment_date_gmt) VALUES (1, 'Ann', 'Kept by the backup', '1', NOW(), UTC_TIMESTAMP())`,
    );
    await publish();
    const node = await emptyNode();
    expect(await startAgent(node.configFile, 'join').exited).toBe(0);
    const comments = await rows(
      node.db,
      'SELECT comment_ID, comment_content FROM wp_comments ORDER BY comment_ID',
    );
    expect(comments.map((row) => row.comment_content)).toContain('Kept by the backup');
    for (const row of await rows(node.db, 'SHOW TABLES'))
      await node.db.pool.query(`DROP TABLE \`${Object.values(row)[0]}\``);
    const restore = startAgent(node.configFile, 'restore');
    expect(await restore.exited, restore.errors()).toBe(0);
    expect(
      await rows(
        node.db,
        'SELECT comment_ID, comment_content FROM wp_comments ORDER BY comment_ID',
      ),
    ).toEqual(comments);
  });

  it('comments posted while a generation is swapped in are on both nodes exactly once', async () => {
    const node = await emptyNode();
    await publish();
    const importOnNode = () =>
      importGeneration({
        db: node.db,
        client: syncClient(node.config),
        tablePrefix: 'wp_',
        contentDir: node.config.sync.contentDir,
        keptDir: node.config.sync.keptDir,
        cacheDir: node.config.sync.cacheDir,
        keepOptions: [],
        logger: quietLogger,
      });
    await importOnNode();
    const nodes = [
      { db: primaryDb, nodeId: 'agent-a', edge: edgeClient(a) },
      { db: node.db, nodeId: 'agent-b', edge: edgeClient(node.config) },
    ];
    let flowing = true;
    const appliers = nodes.map(async (one) => {
      while (flowing) await pullAndApply({ ...one, logger: quietLogger, waitSeconds: 1 });
    });
    try {
      const seeded = (async () => {
        for (let round = 0; round < 10; round++) {
          await seedComments(edge, 20, () => 1, round * 20);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      })();
      for (let sync = 0; sync < 3; sync++) {
        await publish();
        await importOnNode();
      }
      await seeded;
      const cursor = async (db: WordPressDb) =>
        Number(
          (await rows(db, "SELECT value FROM wp_wp_edge_state WHERE name = 'comment_cursor'"))[0]
            ?.value,
        );
      const edgeIds = (db: WordPressDb) =>
        rows(
          db,
          "SELECT meta_value AS id, COUNT(*) AS n FROM wp_commentmeta WHERE meta_key = 'wp_edge_id' GROUP BY meta_value",
        );
      await expect
        .poll(async () => (await edgeIds(primaryDb)).length, { timeout: 60_000 })
        .toBe(200);
      const head = await cursor(primaryDb);
      await expect.poll(() => cursor(node.db), { timeout: 60_000 }).toBe(head);
      for (const db of [primaryDb, node.db]) {
        const ids = await edgeIds(db);
        expect(ids.filter((row) => Number(row.n) !== 1)).toEqual([]);
        expect(ids).toHaveLength(200);
      }
    } finally {
      flowing = false;
      await Promise.allSettled(appliers);
    }
  });
});

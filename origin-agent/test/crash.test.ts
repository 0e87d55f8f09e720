import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAgentTables } from '../src/comments/agent-tables.ts';
import { connectWordPress, type WordPressDb } from '../src/db/wordpress-db.ts';
import { startAgent, writeAgentConfig } from './support/agent-process.ts';
import { seedComments, startCommentsEdge } from './support/edge.ts';
import { createTestWordPress, type TestWordPress } from './support/wordpress.ts';

const COMMENTS = 5_000;

let edge: Awaited<ReturnType<typeof startCommentsEdge>>;
let wordpress: TestWordPress;
let db: WordPressDb;
let dir: string;

beforeAll(async () => {
  [edge, wordpress, dir] = await Promise.all([
    startCommentsEdge(),
    createTestWordPress(),
    mkdtemp(path.join(tmpdir(), 'agent-crash-')),
  ]);
  db = connectWordPress(wordpress.database);
  await ensureAgentTables(db);
  await seedComments(edge, COMMENTS);
});

afterAll(async () => {
  await db?.close();
  await wordpress?.drop();
  await edge?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function count(sql: string): Promise<number> {
  const [rows] = await db.pool.query<RowDataPacket[]>(sql);
  return Number(rows[0]?.n);
}

describe('an agent killed at random moments', () => {
  it('still ends with every comment exactly once and the right comment count', async () => {
    const configFile = await writeAgentConfig(dir, edge.url.href, wordpress);
    const appliedNow = () =>
      count("SELECT COUNT(*) AS n FROM wp_commentmeta WHERE meta_key = 'wp_edge_id'");
    // Kills that left the node part-way: some comments applied, not all.
    let midwayKills = 0;
    for (let attempt = 0; attempt < 80; attempt++) {
      const { child, exited } = startAgent(configFile, 'once');
      let finished = false;
      void exited.then(() => {
        finished = true;
      });
      // Kill the run at a random moment once it has started applying, however long Node
      // takes to start on a busy machine.
      const before = await appliedNow();
      while (!finished && (await appliedNow()) === before)
        await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 400));
      const killed = !finished && child.kill('SIGKILL');
      const code = await exited;
      if (code === 0) break;
      const applied = await appliedNow();
      if (killed && applied > 0 && applied < COMMENTS) midwayKills++;
    }
    expect(midwayKills).toBeGreaterThan(0);
    const applied = await appliedNow();
    const distinct = await count(
      "SELECT COUNT(DISTINCT meta_value) AS n FROM wp_commentmeta WHERE meta_key = 'wp_edge_id'",
    );
    expect(applied).toBe(COMMENTS);
    expect(distinct).toBe(COMMENTS);
    expect(
      await count(
        "SELECT COUNT(*) AS n FROM wp_comments WHERE comment_content LIKE 'Seeded comment %'",
      ),
    ).toBe(COMMENTS);
    const postCount = await count('SELECT comment_count AS n FROM wp_posts WHERE ID = 1');
    expect(postCount).toBe(COMMENTS + 1);
  }, 240_000);
});

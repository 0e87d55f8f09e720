import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAgentTables, readCursor } from '../src/comments/agent-tables.ts';
import { connectWordPress, type WordPressDb } from '../src/db/wordpress-db.ts';
import { startAgent, writeAgentConfig } from './support/agent-process.ts';
import { seedComments, startCommentsEdge } from './support/edge.ts';
import { createTestWordPress, type TestWordPress } from './support/wordpress.ts';

// Six pages of the log: a SIGTERM after the first lands with pages still to come.
const COMMENTS = 6_000;

let edge: Awaited<ReturnType<typeof startCommentsEdge>>;
let wordpress: TestWordPress;
let db: WordPressDb;
let dir: string;

beforeAll(async () => {
  [edge, wordpress, dir] = await Promise.all([
    startCommentsEdge(),
    createTestWordPress(),
    mkdtemp(path.join(tmpdir(), 'agent-stop-')),
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

async function applied(): Promise<number> {
  const [rows] = await db.pool.query<RowDataPacket[]>(
    "SELECT COUNT(*) AS n FROM wp_commentmeta WHERE meta_key = 'wp_edge_id'",
  );
  return Number(rows[0]?.n);
}

describe('wp-edge-agent run', () => {
  it('stops on SIGTERM with whole batches applied, and exits 0', async () => {
    const configFile = await writeAgentConfig(dir, edge.url.href, wordpress);
    const { child: agent, exited } = startAgent(configFile, 'run');
    await expect.poll(() => readCursor(db), { timeout: 30_000, interval: 50 }).toBeGreaterThan(0);
    agent.kill('SIGTERM');
    expect(await exited).toBe(0);
    const cursor = await readCursor(db);
    expect(cursor % 1_000).toBe(0);
    expect(cursor).toBeLessThan(COMMENTS);
    expect(await applied()).toBe(cursor);
  });
});

describe('wp-edge-agent status', () => {
  it('shows the node’s cursor against the edge’s log', async () => {
    const configFile = await writeAgentConfig(dir, edge.url.href, wordpress);
    const agent = startAgent(configFile, 'status');
    expect(await agent.exited).toBe(0);
    const status = JSON.parse(agent.output());
    expect(status).toMatchObject({ node: 'agent-b', site: 'agent', edgeHead: COMMENTS });
    expect(status.cursor).toBe(await readCursor(db));
    expect(status.behind).toBe(status.cursor < COMMENTS);
  });
});

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAgentTables, readCursor } from '../src/comments/agent-tables.ts';
import { connectWordPress, type WordPressDb } from '../src/db/wordpress-db.ts';
import { SECONDARY_KEY, seedComments, startCommentsEdge } from './support/edge.ts';
import { createTestWordPress, type TestWordPress } from './support/wordpress.ts';

const agentBin = path.resolve(import.meta.dirname, '../bin/wp-edge-agent.js');
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
  await seedComments(edge, 3_000);
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
    const configFile = path.join(dir, 'agent.json');
    await writeFile(
      configFile,
      JSON.stringify({
        edgeUrl: edge.url.href,
        siteId: 'agent',
        nodeId: 'agent-b',
        ...SECONDARY_KEY,
        database: wordpress.database,
      }),
    );
    const agent = spawn(process.execPath, [agentBin, '--config', configFile, 'run'], {
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) =>
      agent.on('exit', (code) => resolve(code)),
    );
    await expect.poll(() => readCursor(db), { timeout: 30_000, interval: 50 }).toBeGreaterThan(0);
    agent.kill('SIGTERM');
    expect(await exited).toBe(0);
    const cursor = await readCursor(db);
    expect(cursor % 1_000 === 0 || cursor === 3_000).toBe(true);
    expect(await applied()).toBe(cursor);
  });
});

describe('wp-edge-agent status', () => {
  it('shows the node’s cursor against the edge’s log', async () => {
    const configFile = path.join(dir, 'status.json');
    await writeFile(
      configFile,
      JSON.stringify({
        edgeUrl: edge.url.href,
        siteId: 'agent',
        nodeId: 'agent-b',
        ...SECONDARY_KEY,
        database: wordpress.database,
      }),
    );
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [agentBin, '--config', configFile, 'status']);
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk;
      });
      child.on('exit', (code) =>
        code === 0 ? resolve(text) : reject(new Error(`status exited ${code}`)),
      );
    });
    const status = JSON.parse(output);
    expect(status).toMatchObject({ node: 'agent-b', site: 'agent', edgeHead: 3_000 });
    expect(status.cursor).toBe(await readCursor(db));
    expect(status.behind).toBe(status.cursor < 3_000);
  });
});

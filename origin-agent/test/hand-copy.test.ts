import { spawn } from 'node:child_process';
import { createLogger } from '@wp-edge/core';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAgentTables } from '../src/comments/agent-tables.ts';
import { pullAndApply } from '../src/comments/comment-sync.ts';
import { connectWordPress, type WordPressDb } from '../src/db/wordpress-db.ts';
import { edgeClient } from '../src/edge/edge-client.ts';
import { PRIMARY_KEY, SECONDARY_KEY, startCommentsEdge } from './support/edge.ts';
import { createTestWordPress, type TestWordPress } from './support/wordpress.ts';

// Enough post meta that loading a dump takes seconds (about 20 MB), as on a real blog.
const POSTMETA_ROWS = 150_000;
const COMMENTS = 300;
// A copy that ends before this many more comments are posted did not race the agents.
const COMMENTS_DURING_COPY = 10;
const READERS_AT_ONCE = 4;

const quiet = createLogger({}, { write: () => {} });
let edge: Awaited<ReturnType<typeof startCommentsEdge>>;
type Node = TestWordPress & { db: WordPressDb; id: string; key: typeof PRIMARY_KEY };
let primary: Node;
let secondary: Node;

async function node(id: string, key: typeof PRIMARY_KEY): Promise<Node> {
  const wordpress = await createTestWordPress();
  const db = connectWordPress(wordpress.database);
  await ensureAgentTables(db);
  return { ...wordpress, db, id, key };
}

beforeAll(async () => {
  [edge, primary, secondary] = await Promise.all([
    startCommentsEdge(),
    node('agent-a', PRIMARY_KEY),
    node('agent-b', SECONDARY_KEY),
  ]);
  for (const n of [primary, secondary])
    await n.db.pool.query(
      `INSERT INTO wp_postmeta (post_id, meta_key, meta_value)
         SELECT 1, CONCAT('_filler_', seq), REPEAT('x', 100) FROM seq_1_to_${POSTMETA_ROWS}`,
    );
});

afterAll(async () => {
  for (const n of [primary, secondary]) {
    await n?.db.close();
    await n?.drop();
  }
  await edge?.dispose();
});

/**
 * Each node's agent as `wp-edge-agent run` drives it: long-polls and applies until stopped;
 * an error (a table the import has dropped for a moment) is retried shortly after.
 */
function runAgents(nodes: Node[]) {
  const stop = new AbortController();
  const loops = nodes.map(async ({ db, id, key }) => {
    const client = edgeClient({ edgeUrl: edge.url.href, ...key });
    while (!stop.signal.aborted) {
      await pullAndApply({
        db,
        edge: client,
        logger: quiet,
        nodeId: id,
        waitSeconds: 1,
        signal: stop.signal,
      }).catch(() => new Promise((resolve) => setTimeout(resolve, 100)));
    }
  });
  return async () => {
    stop.abort();
    await Promise.all(loops);
  };
}

/** `mysqldump --single-transaction <from> | mysql <to>`, as an owner copies a database by hand. */
function pipe(dump: string[], load: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const dumper = spawn('mysqldump', ['-h127.0.0.1', '-uroot', ...dump], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const loader = spawn('mysql', ['-h127.0.0.1', '-uroot', ...load], {
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    dumper.stdout.pipe(loader.stdin);
    loader.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`mysql exited with ${code}`)),
    );
  });
}

const copy = (from: Node, to: Node) =>
  pipe(['--single-transaction', from.database.name], [to.database.name]);

let posted = 0;

/** Posts `count` comments, a few readers at a time, calling `at(i)` before the i-th. */
async function postComments(tag: string, count: number, at: (i: number) => unknown) {
  for (let first = 0; first < count; first += READERS_AT_ONCE) {
    const answers: Promise<Response>[] = [];
    for (let i = first; i < Math.min(first + READERS_AT_ONCE, count); i++) {
      await at(i);
      answers.push(edge.postComment({ comment: `${tag} ${i}` }));
    }
    for (const answer of await Promise.all(answers)) expect(answer.status).toBe(302);
    posted += answers.length;
  }
}

/** Resolves with how many comments were posted while `copying` ran. */
async function postedDuring(copying: Promise<void>): Promise<number> {
  const before = posted;
  await copying;
  return posted - before;
}

/** How many rows each comment has on a node, and how many edge ids each row carries. */
async function copiesOn(n: Node, tag: string) {
  const [rows] = await n.db.pool.query<RowDataPacket[]>(
    `SELECT c.comment_content, COUNT(DISTINCT c.comment_ID) AS copies, COUNT(m.meta_id) AS ids
       FROM wp_comments c LEFT JOIN wp_commentmeta m ON m.comment_id = c.comment_ID AND m.meta_key = 'wp_edge_id'
      WHERE c.comment_content LIKE ? GROUP BY c.comment_content`,
    [`${tag} %`],
  );
  return rows;
}

async function expectEachOnce(n: Node, tag: string) {
  const seen = await copiesOn(n, tag);
  const rows = seen.reduce((sum, row) => sum + Number(row.copies), 0);
  const metaIds = seen.reduce((sum, row) => sum + Number(row.ids), 0);
  expect({ node: n.id, comments: seen.length, rows, metaIds }).toEqual({
    node: n.id,
    comments: COMMENTS,
    rows: COMMENTS,
    metaIds: COMMENTS,
  });
  const [edgeIds] = await n.db.pool.query<RowDataPacket[]>(
    "SELECT meta_value, COUNT(*) AS n FROM wp_commentmeta WHERE meta_key = 'wp_edge_id' GROUP BY meta_value HAVING n > 1",
  );
  expect(edgeIds).toEqual([]);
  const [[count]] = (await n.db.pool.query<RowDataPacket[]>(
    "SELECT p.comment_count AS counted, (SELECT COUNT(*) FROM wp_comments WHERE comment_post_ID = 1 AND comment_approved = '1') AS actual FROM wp_posts p WHERE p.ID = 1",
  )) as unknown as [RowDataPacket[]];
  expect(Number(count?.counted)).toBe(Number(count?.actual));
}

/** Waits until both nodes have every comment of `tag` (or the time is up), for the assertions to judge. */
async function settle(tag: string) {
  const deadline = Date.now() + 20_000;
  const complete = async () =>
    (await Promise.all([primary, secondary].map((n) => copiesOn(n, tag)))).every(
      (rows) => rows.length === COMMENTS,
    );
  while (Date.now() < deadline && !(await complete()))
    await new Promise((resolve) => setTimeout(resolve, 200));
  // A comment applied twice shows once its second copy lands: give the agents a moment more.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
}

describe('a database copied by hand while comments arrive and both agents run', () => {
  it('leaves every comment exactly once on both nodes after mysqldump of the primary is piped into the secondary', async () => {
    const stopAgents = runAgents([primary, secondary]);
    let copied: Promise<number> | undefined;
    try {
      await postComments('Hand copy', COMMENTS, (i) => {
        if (i === 50) copied = postedDuring(copy(primary, secondary));
      });
      expect(await copied).toBeGreaterThanOrEqual(COMMENTS_DURING_COPY);
      await settle('Hand copy');
    } finally {
      await stopAgents();
    }
    await expectEachOnce(primary, 'Hand copy');
    await expectEachOnce(secondary, 'Hand copy');
  }, 110_000);

  it('leaves every comment exactly once after an older backup of the node is restored over it', async () => {
    const stopAgents = runAgents([primary, secondary]);
    const backup = `${secondary.database.name}_backup`;
    await secondary.admin.query(`CREATE DATABASE \`${backup}\``);
    let backedUp: Promise<void> | undefined;
    let restored: Promise<number> | undefined;
    try {
      await postComments('Restored', COMMENTS, (i) => {
        if (i === 30) backedUp = pipe(['--single-transaction', secondary.database.name], [backup]);
        if (i === 100)
          restored = backedUp?.then(() =>
            postedDuring(pipe(['--single-transaction', backup], [secondary.database.name])),
          );
      });
      expect(await restored).toBeGreaterThanOrEqual(COMMENTS_DURING_COPY);
      await settle('Restored');
    } finally {
      await stopAgents();
      await secondary.admin.query(`DROP DATABASE IF EXISTS \`${backup}\``);
    }
    await expectEachOnce(primary, 'Restored');
    await expectEachOnce(secondary, 'Restored');
  }, 110_000);
});

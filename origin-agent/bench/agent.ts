// The origin agent against real MariaDB, with the comments Worker in workerd:
// - apply rate: 5,000 comments from the edge's log into a fresh WordPress database, whole
//   (pull, apply, purge, progress report) and the database's share alone (the same pages,
//   fetched first, applied into another fresh database), beside a floor measured in the same
//   run: the same rows of wp_comments, wp_commentmeta and the agent's table, each page as
//   plain multi-row INSERTs in one transaction, none of the agent's checks;
// - post-to-row latency: comments posted through the comment form one after another while
//   two agents (two nodes, two databases) long-poll the edge; the time from the edge's
//   acceptance to the row on each node, p50 and p95.
import {
  AGENT_ROUTES,
  type CommentPage,
  createLogger,
  EDGE_ID_META_KEY,
  MAX_PAGE_EVENTS,
} from '@wp-edge/core';
import { BenchFailure, recordFigures } from '@wp-edge/workerd-kit';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { ensureAgentTables } from '../src/comments/agent-tables.ts';
import { applyEvents } from '../src/comments/apply-events.ts';
import { pullAndApply } from '../src/comments/comment-sync.ts';
import { connectWordPress, inTransaction, type WordPressDb } from '../src/db/wordpress-db.ts';
import { edgeClient } from '../src/edge/edge-client.ts';
import {
  PRIMARY_KEY,
  SECONDARY_KEY,
  seedComments,
  startCommentsEdge,
} from '../test/support/edge.ts';
import { createTestWordPress } from '../test/support/wordpress.ts';

const SEEDED = 5_000;
const POSTED = 200;
const quiet = createLogger({}, { write: () => {} });

async function node() {
  const wordpress = await createTestWordPress();
  const db = connectWordPress(wordpress.database);
  await ensureAgentTables(db);
  return { wordpress, db };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

async function applyRate(): Promise<number> {
  const edge = await startCommentsEdge();
  const { wordpress, db } = await node();
  try {
    await seedComments(edge, SEEDED);
    const client = edgeClient({ edgeUrl: edge.url.href, ...SECONDARY_KEY });
    const started = performance.now();
    while (
      (await pullAndApply({ db, edge: client, logger: quiet, nodeId: 'agent-b', waitSeconds: 0 }))
        .behind
    ) {}
    const elapsedMs = performance.now() - started;
    const [rows] = await db.pool.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM wp_commentmeta WHERE meta_key = 'wp_edge_id'",
    );
    const applied = Number(rows[0]?.n);
    if (applied !== SEEDED)
      throw new BenchFailure(
        `the agent applied ${applied} of the ${SEEDED} comments in the log; no rate is recorded`,
      );
    return SEEDED / (elapsedMs / 1000);
  } finally {
    await db.close();
    await wordpress.drop();
    await edge.dispose();
  }
}

/** The log's pages, pulled in full before anything is timed. */
async function logPages(edge: Awaited<ReturnType<typeof startCommentsEdge>>) {
  const client = edgeClient({ edgeUrl: edge.url.href, ...SECONDARY_KEY });
  const pages: CommentPage[] = [];
  for (let after = 0; after < SEEDED; after = pages.at(-1)?.next ?? SEEDED)
    pages.push(
      await client.call(AGENT_ROUTES.comments, { after, limit: MAX_PAGE_EVENTS, wait: 0 }),
    );
  return pages;
}

/** The same rows a page's comments make, as plain multi-row INSERTs: what MariaDB alone takes. */
async function insertPlainly(db: WordPressDb, page: CommentPage): Promise<number> {
  const comments = page.events.flatMap((event) =>
    event.type === 'created' ? [event.comment] : [],
  );
  await inTransaction(db, async (connection) => {
    const [inserted] = await connection.query<ResultSetHeader>(
      'INSERT INTO wp_comments (comment_post_ID, comment_author, comment_author_email, comment_author_url, comment_author_IP, comment_date, comment_date_gmt, comment_content, comment_karma, comment_approved, comment_agent, comment_type, comment_parent, user_id) VALUES ?',
      [
        comments.map((comment) => {
          const date = comment.createdAt.slice(0, 19).replace('T', ' ');
          return [
            comment.postId,
            comment.author,
            comment.authorEmail,
            comment.authorUrl,
            comment.authorIp,
            date,
            date,
            comment.content,
            0,
            '1',
            comment.userAgent,
            'comment',
            0,
            0,
          ];
        }),
      ],
    );
    const ids = comments.map((_, i) => inserted.insertId + i);
    await connection.query(
      'INSERT INTO wp_wp_edge_applied (edge_id, comment_id, known_state) VALUES ?',
      [comments.map((comment, i) => [comment.id, ids[i], '1'])],
    );
    await connection.query(
      'INSERT INTO wp_commentmeta (comment_id, meta_key, meta_value) VALUES ?',
      [comments.map((comment, i) => [ids[i], EDGE_ID_META_KEY, comment.id])],
    );
  });
  return comments.length;
}

/**
 * The log's pages applied straight into a fresh database (the agent's MariaDB side alone),
 * and the same rows inserted plainly into another: comments a second of each.
 */
async function databaseRates(): Promise<{ apply: number; plain: number }> {
  const edge = await startCommentsEdge();
  const applying = await node();
  const plain = await node();
  try {
    await seedComments(edge, SEEDED);
    const pages = await logPages(edge);
    const rate = async (
      apply: (db: WordPressDb, page: CommentPage) => Promise<number>,
      db: WordPressDb,
    ) => {
      const started = performance.now();
      let applied = 0;
      for (const page of pages) applied += await apply(db, page);
      const elapsedMs = performance.now() - started;
      if (applied !== SEEDED)
        throw new BenchFailure(
          `${applied} of the ${SEEDED} comments were applied; no rate is recorded`,
        );
      return SEEDED / (elapsedMs / 1000);
    };
    return {
      apply: await rate(
        async (db, page) => (await applyEvents(db, page.events, page.next, 'agent-b')).applied,
        applying.db,
      ),
      plain: await rate(insertPlainly, plain.db),
    };
  } finally {
    for (const { db, wordpress } of [applying, plain]) {
      await db.close();
      await wordpress.drop();
    }
    await edge.dispose();
  }
}

/** Per comment this node has, the time from posting it to its row here, by the comment's text. */
async function latencies(db: WordPressDb, postedAtMs: Map<string, number>): Promise<number[]> {
  const [rows] = await db.pool.query<RowDataPacket[]>(
    'SELECT c.comment_content, UNIX_TIMESTAMP(a.applied_at) * 1000 AS applied_ms FROM wp_wp_edge_applied a JOIN wp_comments c ON c.comment_ID = a.comment_id',
  );
  return rows.map(
    (row) => Number(row.applied_ms) - (postedAtMs.get(String(row.comment_content)) ?? Number.NaN),
  );
}

async function postToRow(): Promise<number[]> {
  const edge = await startCommentsEdge();
  const nodes = [
    { ...(await node()), key: PRIMARY_KEY, id: 'agent-a' },
    { ...(await node()), key: SECONDARY_KEY, id: 'agent-b' },
  ];
  const stop = new AbortController();
  // An agent's error ends the bench: a latency measured around failures is not the agent's.
  const agentErrors: string[] = [];
  const agents = nodes.map(async ({ db, key, id }) => {
    const client = edgeClient({ edgeUrl: edge.url.href, ...key });
    while (!stop.signal.aborted) {
      await pullAndApply({
        db,
        edge: client,
        logger: quiet,
        nodeId: id,
        waitSeconds: 25,
        signal: stop.signal,
      }).catch((error: Error) => {
        if (stop.signal.aborted) return;
        agentErrors.push(`${id}: ${error.message}`);
        stop.abort();
      });
    }
  });
  try {
    const postedAtMs = new Map<string, number>();
    for (let i = 0; i < POSTED; i++) {
      postedAtMs.set(`Latency ${i}`, Date.now());
      const posted = await edge.postComment({ comment: `Latency ${i}` });
      if (posted.status !== 302)
        throw new BenchFailure(
          `comment ${i} was refused with ${posted.status}; no figure is recorded`,
        );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const caughtUp = async () => {
      for (const { db } of nodes)
        if ((await latencies(db, postedAtMs)).length < POSTED) return false;
      return true;
    };
    const deadline = Date.now() + 30_000;
    while (!stop.signal.aborted && !(await caughtUp()) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    if (agentErrors.length > 0)
      throw new BenchFailure(`an agent failed: ${agentErrors.join('; ')}; no figure is recorded`);
    const perNode = await Promise.all(nodes.map(({ db }) => latencies(db, postedAtMs)));
    for (const [i, rows] of perNode.entries())
      if (rows.length !== POSTED)
        throw new BenchFailure(
          `${rows.length} of the ${POSTED} comments reached node ${nodes[i]?.id} within 30 s; no figure is recorded`,
        );
    return perNode.flat();
  } finally {
    stop.abort();
    await Promise.allSettled(agents);
    for (const { db, wordpress } of nodes) {
      await db.close();
      await wordpress.drop();
    }
    await edge.dispose();
  }
}

const rate = await applyRate();
const database = await databaseRates();
const samples = await postToRow();
const percent = (value: number, of: number) => Math.round((value / of) * 100);
await recordFigures({
  'agent.apply.rate': { value: Math.round(rate), unit: 'comments/s' },
  'agent.apply.database-rate': { value: Math.round(database.apply), unit: 'comments/s' },
  'agent.apply.plain-insert-rate': { value: Math.round(database.plain), unit: 'comments/s' },
  'agent.apply.vs-database': { value: percent(rate, database.apply), unit: '%' },
  'agent.apply.database-vs-plain-insert': {
    value: percent(database.apply, database.plain),
    unit: '%',
  },
  'agent.post-to-row.samples': { value: samples.length, unit: 'rows' },
  'agent.post-to-row.latency-p50': { value: percentile(samples, 50), unit: 'ms' },
  'agent.post-to-row.latency-p95': { value: percentile(samples, 95), unit: 'ms' },
});

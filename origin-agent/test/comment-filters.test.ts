import { createLogger } from '@wp-edge/core';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAgentTables } from '../src/comments/agent-tables.ts';
import { pullAndApply } from '../src/comments/comment-sync.ts';
import { connectWordPress, type WordPressDb } from '../src/db/wordpress-db.ts';
import { edgeClient } from '../src/edge/edge-client.ts';
import { SECONDARY_KEY, startCommentsEdge } from './support/edge.ts';
import { createTestWordPress, type TestWordPress } from './support/wordpress.ts';

const quiet = createLogger({}, { write: () => {} });

/** What an attacker posts through the edge's comment form: each would run script if stored as sent. */
const HOSTILE = [
  { author: 'Ann', url: '', comment: '<script>alert(document.cookie)</script>Nice post' },
  { author: 'Ann', url: '', comment: 'Look <img src=x onerror=alert(1)>' },
  { author: 'Ann', url: '', comment: '<a href="https://ok.example" onclick="steal()">link</a>' },
  { author: 'Ann', url: '', comment: '<a href="javascript:alert(1)">click</a>' },
  { author: 'Ann', url: '', comment: '<a href="jav&#x09;ascript:alert(1)">tab</a>' },
  { author: 'Ann', url: '', comment: '<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>' },
  { author: '<svg onload=alert(1)>Eve', url: '', comment: 'Hi from Eve' },
  { author: 'Tom & "Jerry" <b>', url: '', comment: 'Names with & and quotes' },
  { author: 'Mal', url: 'javascript:alert(1)', comment: 'My site' },
  { author: 'Mal', url: 'http://example.com/"><script>x</script>', comment: 'Quote in URL' },
];

let edge: Awaited<ReturnType<typeof startCommentsEdge>>;
let node: TestWordPress & { db: WordPressDb };
let reference: TestWordPress;

beforeAll(async () => {
  edge = await startCommentsEdge();
  const wordpress = await createTestWordPress();
  const db = connectWordPress(wordpress.database);
  await ensureAgentTables(db);
  node = { ...wordpress, db };
  reference = await createTestWordPress();
});
afterAll(async () => {
  await node?.db.close();
  await node?.drop();
  await reference?.drop();
  await edge?.dispose();
});

async function storedOnNode(edgeId: string) {
  const [rows] = await node.db.pool.query<RowDataPacket[]>(
    "SELECT c.* FROM wp_comments c JOIN wp_commentmeta m ON m.comment_id = c.comment_ID AND m.meta_key = 'wp_edge_id' WHERE m.meta_value = ?",
    [edgeId],
  );
  return rows[0];
}

describe('comments posted through the edge', () => {
  it('are stored on a node exactly as WordPress itself stores the same hostile submission', async () => {
    const edgeIds: string[] = [];
    for (const [i, fields] of HOSTILE.entries()) {
      const answer = await edge.postComment({ ...fields, email: `reader${i}@example.com` });
      expect(answer.status).toBe(302);
      const id = new URL(answer.headers.get('location') ?? '').searchParams.get('wp_edge_comment');
      if (!id) throw new Error('the edge did not say which comment it stored');
      edgeIds.push(id);
    }
    const client = edgeClient({ edgeUrl: edge.url.href, ...SECONDARY_KEY });
    while (
      (
        await pullAndApply({
          db: node.db,
          edge: client,
          logger: quiet,
          nodeId: 'agent-b',
          waitSeconds: 0,
        })
      ).behind
    ) {}
    const rows = await Promise.all(edgeIds.map(storedOnNode));
    const expected = await reference.wordpressStores(
      HOSTILE.map((fields, i) => ({
        author: fields.author,
        email: `reader${i}@example.com`,
        url: fields.url,
        content: fields.comment,
        userAgent: String(rows[i]?.comment_agent),
        ip: String(rows[i]?.comment_author_IP),
      })),
    );
    const stored = rows.map((row) => ({
      stored: {
        author: row?.comment_author,
        email: row?.comment_author_email,
        url: row?.comment_author_url,
        content: row?.comment_content,
        userAgent: row?.comment_agent,
        ip: row?.comment_author_IP,
      },
    }));
    expect(stored).toEqual(expected);
    for (const row of rows)
      expect(String(row?.comment_content)).not.toMatch(/<script|onerror|onclick|javascript:/i);
  });
});

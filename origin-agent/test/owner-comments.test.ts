import { createLogger } from '@wp-edge/core';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAgentTables } from '../src/comments/agent-tables.ts';
import { pullAndApply } from '../src/comments/comment-sync.ts';
import { reportModeration } from '../src/comments/moderation-report.ts';
import { reportNativeComments } from '../src/comments/native-report.ts';
import { connectWordPress, type WordPressDb } from '../src/db/wordpress-db.ts';
import { edgeClient } from '../src/edge/edge-client.ts';
import { PRIMARY_KEY, SECONDARY_KEY, startCommentsEdge } from './support/edge.ts';
import { createTestWordPress, type TestWordPress } from './support/wordpress.ts';

const quiet = createLogger({}, { write: () => {} });
let edge: Awaited<ReturnType<typeof startCommentsEdge>>;
const nodes: (TestWordPress & { db: WordPressDb })[] = [];

beforeAll(async () => {
  edge = await startCommentsEdge();
});
afterAll(async () => {
  for (const n of nodes) {
    await n.db.close();
    await n.drop();
  }
  await edge?.dispose();
});

async function freshNode() {
  const wordpress = await createTestWordPress();
  const db = connectWordPress(wordpress.database);
  await ensureAgentTables(db);
  nodes.push({ ...wordpress, db });
  return db;
}

const client = (key: typeof PRIMARY_KEY) => edgeClient({ edgeUrl: edge.url.href, ...key });

async function catchUp(db: WordPressDb, key = SECONDARY_KEY) {
  const nodeId = key === PRIMARY_KEY ? 'agent-a' : 'agent-b';
  while (
    (await pullAndApply({ db, edge: client(key), logger: quiet, nodeId, waitSeconds: 0 })).behind
  ) {}
}

const reportNative = (db: WordPressDb, key = PRIMARY_KEY) =>
  reportNativeComments({ db, edge: client(key), nodeId: 'agent-a', logger: quiet });

async function rows(db: WordPressDb, sql: string, values: unknown[] = []) {
  const [result] = await db.pool.query<RowDataPacket[]>(sql, values);
  return result;
}

/** The owner replying in wp-admin on the primary: WordPress inserts the row itself. */
async function ownerReply(db: WordPressDb, parent: number, content: string): Promise<number> {
  const [result] = await db.pool.query<ResultSetHeader>(
    `INSERT INTO wp_comments (comment_post_ID, comment_author, comment_author_email, comment_content, comment_approved,
       comment_date, comment_date_gmt, comment_parent, user_id, comment_type)
     VALUES (1, 'Owner', 'admin@example.com', ?, '1', NOW(), UTC_TIMESTAMP(), ?, 1, 'comment')`,
    [content, parent],
  );
  return result.insertId;
}

const posted = async (fields: Record<string, string>) =>
  new URL((await edge.postComment(fields)).headers.get('location') ?? '').searchParams.get(
    'wp_edge_comment',
  ) ?? '';

const localId = async (db: WordPressDb, edgeId: string) =>
  Number(
    (await rows(db, 'SELECT comment_id FROM wp_wp_edge_applied WHERE edge_id = ?', [edgeId]))[0]
      ?.comment_id,
  );

const byContent = async (db: WordPressDb, content: string) =>
  rows(
    db,
    'SELECT comment_ID, comment_parent, comment_approved FROM wp_comments WHERE comment_content = ?',
    [content],
  );

describe('WordPress’s own comments on the primary, through the log', () => {
  it('reach the secondary threaded, and a reader’s reply to the owner’s reply threads on both nodes', async () => {
    const a = await freshNode();
    const b = await freshNode();
    await reportNative(a);
    const question = await posted({ comment: 'A reader asks' });
    await catchUp(a, PRIMARY_KEY);
    await catchUp(b);
    // The primary's numbering runs ahead of the secondary's: comment ids differ between them.
    await ownerReply(a, 0, 'An unrelated note by the owner');
    const answer = await ownerReply(a, await localId(a, question), 'The owner answers');
    expect((await reportNative(a)).reported).toBe(2);
    await catchUp(a, PRIMARY_KEY);
    await catchUp(b);
    const [answerOnB] = await byContent(b, 'The owner answers');
    expect(answerOnB?.comment_parent).toBe(await localId(b, question));
    expect(await byContent(a, 'The owner answers')).toHaveLength(1);

    const fromA = await posted({
      comment: 'Thanks! (from the primary’s page)',
      comment_parent: String(answer),
      wp_edge_node: 'agent-a',
    });
    const fromB = await posted({
      comment: 'Thanks! (from the secondary’s page)',
      comment_parent: String(answerOnB?.comment_ID),
      wp_edge_node: 'agent-b',
    });
    expect(fromA).not.toBe('');
    expect(fromB).not.toBe('');
    await catchUp(a, PRIMARY_KEY);
    await catchUp(b);
    for (const content of [
      'Thanks! (from the primary’s page)',
      'Thanks! (from the secondary’s page)',
    ]) {
      expect((await byContent(a, content))[0]?.comment_parent).toBe(answer);
      expect((await byContent(b, content))[0]?.comment_parent).toBe(answerOnB?.comment_ID);
    }
  });

  it('reports each comment once, and the owner’s later edit and status change reach the secondary', async () => {
    const a = await freshNode();
    const b = await freshNode();
    await reportNative(a);
    const note = await ownerReply(a, 0, 'Owner note, first draft');
    await reportNative(a);
    expect((await reportNative(a)).reported).toBe(0);
    await catchUp(b);
    await a.pool.query(
      "UPDATE wp_comments SET comment_content = 'Owner note, edited', comment_approved = '0' WHERE comment_ID = ?",
      [note],
    );
    await reportModeration({ db: a, edge: client(PRIMARY_KEY), logger: quiet });
    await catchUp(b);
    expect(await byContent(b, 'Owner note, edited')).toMatchObject([{ comment_approved: '0' }]);
    expect(await byContent(b, 'Owner note, first draft')).toHaveLength(0);
  });

  it('leaves out the comments that were there before the agent first ran', async () => {
    const a = await freshNode();
    await ownerReply(a, 0, 'Written before the agent');
    expect((await reportNative(a)).reported).toBe(0);
  });

  it('is refused to a secondary, which then stops offering those comments', async () => {
    const b = await freshNode();
    await reportNative(b, SECONDARY_KEY);
    await ownerReply(b, 0, 'Written on a secondary');
    expect(await reportNative(b, SECONDARY_KEY)).toEqual({ primary: false, reported: 0 });
    expect(await reportNative(b, SECONDARY_KEY)).toEqual({ primary: true, reported: 0 });
  });
});

describe('the owner’s permanent delete on the primary', () => {
  it('is a delete on the secondary, not trash: the row and its meta go, its replies move up, the count follows', async () => {
    const a = await freshNode();
    const b = await freshNode();
    await reportNative(a);
    const doomed = await posted({ comment: 'To be deleted' });
    await catchUp(a, PRIMARY_KEY);
    await catchUp(b);
    const reply = await posted({
      comment: 'A reply to the deleted one',
      comment_parent: String(await localId(b, doomed)),
      wp_edge_node: 'agent-b',
    });
    await catchUp(a, PRIMARY_KEY);
    await catchUp(b);
    const onB = await localId(b, doomed);
    const countOnB = async () =>
      Number((await rows(b, 'SELECT comment_count FROM wp_posts WHERE ID = 1'))[0]?.comment_count);
    const before = await countOnB();
    // What wp_delete_comment does on the primary: replies move up, the row and its meta go.
    const onA = await localId(a, doomed);
    await a.pool.query('UPDATE wp_comments SET comment_parent = 0 WHERE comment_parent = ?', [onA]);
    await a.pool.query('DELETE FROM wp_commentmeta WHERE comment_id = ?', [onA]);
    await a.pool.query('DELETE FROM wp_comments WHERE comment_ID = ?', [onA]);
    expect(await reportModeration({ db: a, edge: client(PRIMARY_KEY), logger: quiet })).toEqual({
      primary: true,
      reported: 1,
    });
    await catchUp(b);
    await catchUp(a, PRIMARY_KEY);
    expect(await rows(b, 'SELECT comment_ID FROM wp_comments WHERE comment_ID = ?', [onB])).toEqual(
      [],
    );
    expect(await rows(b, 'SELECT meta_id FROM wp_commentmeta WHERE comment_id = ?', [onB])).toEqual(
      [],
    );
    expect((await byContent(b, 'A reply to the deleted one'))[0]?.comment_parent).toBe(0);
    expect(await countOnB()).toBe(before - 1);
    expect(await byContent(a, 'To be deleted')).toEqual([]);
    expect(reply).not.toBe('');
  });
});

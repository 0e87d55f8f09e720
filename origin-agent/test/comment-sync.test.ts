import { AGENT_ROUTES, type CommentEvent, createLogger } from '@wp-edge/core';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCursor } from '../src/comments/agent-tables.ts';
import { applyEvents } from '../src/comments/apply-events.ts';
import { applyPage, pullAndApply } from '../src/comments/comment-sync.ts';
import { reportModeration } from '../src/comments/moderation-report.ts';
import type { WordPressDb } from '../src/db/wordpress-db.ts';
import { type EdgeClient, edgeClient } from '../src/edge/edge-client.ts';
import { agentNodes } from './support/agent-node.ts';
import { PRIMARY_KEY, SECONDARY_KEY, seedComments, startCommentsEdge } from './support/edge.ts';

const quiet = createLogger({}, { write: () => {} });
let edge: Awaited<ReturnType<typeof startCommentsEdge>>;
let primaryEdge: EdgeClient;

beforeAll(async () => {
  edge = await startCommentsEdge();
  primaryEdge = edgeClient({ edgeUrl: edge.url.href, ...PRIMARY_KEY });
});
afterAll(() => edge?.dispose());

const freshNode = agentNodes();

async function catchUp(db: WordPressDb, key = SECONDARY_KEY) {
  const client = edgeClient({ edgeUrl: edge.url.href, ...key });
  while (
    (
      await pullAndApply({
        db,
        edge: client,
        logger: quiet,
        nodeId: key === PRIMARY_KEY ? 'agent-a' : 'agent-b',
        waitSeconds: 0,
      })
    ).behind
  ) {}
}

async function rows(db: WordPressDb, sql: string, values: unknown[] = []) {
  const [result] = await db.pool.query<RowDataPacket[]>(sql, values);
  return result;
}

const edgeComments = (db: WordPressDb) =>
  rows(
    db,
    "SELECT c.comment_ID, c.comment_approved, c.comment_content, m.meta_value AS edge_id FROM wp_comments c JOIN wp_commentmeta m ON m.comment_id = c.comment_ID AND m.meta_key = 'wp_edge_id' ORDER BY c.comment_ID",
  );
const commentCount = async (db: WordPressDb) =>
  Number((await rows(db, 'SELECT comment_count FROM wp_posts WHERE ID = 1'))[0]?.comment_count);

async function logHead(): Promise<number> {
  return (await primaryEdge.call(AGENT_ROUTES.comments, { after: 0, limit: 1 })).head;
}

describe('applying the edge’s comments to a node', () => {
  it('writes every field, the edge id in commentmeta, the count of approved comments and the cursor', async () => {
    const n = await freshNode();
    await catchUp(n.db);
    const before = (await edgeComments(n.db)).length;
    await edge.postComment({
      author: 'Dee',
      email: 'dee@example.com',
      url: 'https://dee.example',
      comment: 'First!',
    });
    await catchUp(n.db);
    const [row] = await rows(n.db, "SELECT * FROM wp_comments WHERE comment_author = 'Dee'");
    expect(row).toMatchObject({
      comment_post_ID: 1,
      comment_author_email: 'dee@example.com',
      comment_author_url: 'https://dee.example',
      comment_content: 'First!',
      comment_approved: '1',
      comment_type: 'comment',
      comment_parent: 0,
    });
    expect(row?.comment_author_IP).toMatch(/^10\.2\./);
    expect(row?.comment_agent).toContain('Mozilla/5.0');
    expect((await edgeComments(n.db)).length).toBe(before + 1);
    expect(await commentCount(n.db)).toBe(1 + before + 1);
    expect(await readCursor(n.db)).toBe(await logHead());
    const client = edgeClient({ edgeUrl: edge.url.href, ...SECONDARY_KEY });
    expect(
      await pullAndApply({
        db: n.db,
        edge: client,
        logger: quiet,
        nodeId: 'agent-b',
        waitSeconds: 0,
      }),
    ).toEqual({
      applied: 0,
      quarantined: 0,
      behind: false,
      lag: 0,
    });
  });

  it('sets aside an event the database can never take, and applies the rest of the page', async () => {
    const n = await freshNode();
    await catchUp(n.db);
    const after = await readCursor(n.db);
    for (let i = 0; i < 3; i++) await edge.postComment({ comment: `Around a bad one ${i}` });
    const page = await primaryEdge.call(AGENT_ROUTES.comments, { after });
    const [first, middle, last] = page.events;
    if (middle?.type !== 'created') throw new Error('expected three new comments');
    const bad = { ...middle, comment: { ...middle.comment, author: 'a'.repeat(300) } };
    const result = await applyPage(
      n.db,
      { ...page, events: [first, bad, last] as CommentEvent[] },
      'agent-b',
      quiet,
    );
    expect(result).toMatchObject({ applied: 2, quarantined: 1, cursor: page.next });
    expect(await readCursor(n.db)).toBe(page.next);
    const contents = (await edgeComments(n.db)).map((row) => row.comment_content);
    expect(contents).toEqual(expect.arrayContaining(['Around a bad one 0', 'Around a bad one 2']));
    expect(contents).not.toContain('Around a bad one 1');
    const aside = await rows(n.db, 'SELECT seq, error FROM wp_wp_edge_quarantine');
    expect(aside).toEqual([{ seq: middle.seq, error: expect.stringContaining('Data too long') }]);
  });

  it('never applies a comment twice, whether a page comes again or two agents share the database', async () => {
    const n = await freshNode();
    for (let i = 0; i < 5; i++) await edge.postComment({ comment: `Twice? ${i}` });
    const page = await primaryEdge.call(AGENT_ROUTES.comments, { after: 0, limit: 500 });
    await Promise.all([
      applyEvents(n.db, page.events, page.next, 'agent-b'),
      applyEvents(n.db, page.events, page.next, 'agent-b'),
    ]);
    await applyEvents(n.db, page.events, page.next, 'agent-b');
    await Promise.all([catchUp(n.db), catchUp(n.db, PRIMARY_KEY)]);
    const applied = await edgeComments(n.db);
    const ids = applied.map((row) => row.edge_id);
    expect(new Set(ids).size).toBe(ids.length);
    const everything = await primaryEdge.call(AGENT_ROUTES.comments, { after: 0, limit: 500 });
    expect(ids.length).toBe(
      everything.events.filter((event: CommentEvent) => event.type === 'created').length,
    );
    expect(await commentCount(n.db)).toBe(
      1 + applied.filter((row) => row.comment_approved === '1').length,
    );
  });

  it('follows the owner’s moderation: held, approved, edited, spam — and the count with it', async () => {
    const n = await freshNode();
    const response = await edge.postComment({ comment: 'Moderate me' });
    const id =
      new URL(response.headers.get('location') ?? '').searchParams.get('wp_edge_comment') ?? '';
    await catchUp(n.db);
    const countWith = await commentCount(n.db);
    await primaryEdge.call(AGENT_ROUTES.moderation, {
      changes: [{ commentId: id, status: 'held' }],
    });
    await catchUp(n.db);
    expect(await commentCount(n.db)).toBe(countWith - 1);
    await primaryEdge.call(AGENT_ROUTES.moderation, {
      changes: [{ commentId: id, status: 'approved', content: 'Edited' }],
    });
    await catchUp(n.db);
    expect(await commentCount(n.db)).toBe(countWith);
    const [row] = await rows(
      n.db,
      "SELECT c.comment_approved, c.comment_content FROM wp_comments c JOIN wp_commentmeta m ON m.comment_id = c.comment_ID WHERE m.meta_key = 'wp_edge_id' AND m.meta_value = ?",
      [id],
    );
    expect(row).toEqual({ comment_approved: '1', comment_content: 'Edited' });
    await primaryEdge.call(AGENT_ROUTES.moderation, {
      changes: [{ commentId: id, status: 'spam' }],
    });
    await catchUp(n.db);
    expect(await commentCount(n.db)).toBe(countWith - 1);
  });

  it('ends with exactly the full set after a copy of another node’s database lands mid-stream', async () => {
    const a = await freshNode();
    const b = await freshNode();
    await catchUp(a.db);
    await catchUp(b.db);
    for (let i = 0; i < 3; i++) await edge.postComment({ comment: `Before the copy ${i}` });
    await catchUp(a.db);
    for (let i = 0; i < 3; i++) await edge.postComment({ comment: `During the copy ${i}` });
    await catchUp(b.db);
    for (const table of ['comments', 'commentmeta', 'posts', 'wp_edge_applied', 'wp_edge_state']) {
      await b.admin.query(`DELETE FROM \`${b.database.name}\`.wp_${table}`);
      await b.admin.query(
        `INSERT INTO \`${b.database.name}\`.wp_${table} SELECT * FROM \`${a.database.name}\`.wp_${table}`,
      );
    }
    for (let i = 0; i < 3; i++) await edge.postComment({ comment: `After the copy ${i}` });
    await catchUp(a.db);
    await catchUp(b.db);
    const onA = (await edgeComments(a.db)).map((row) => row.edge_id);
    const onB = (await edgeComments(b.db)).map((row) => row.edge_id);
    expect(new Set(onB).size).toBe(onB.length);
    expect([...onB].sort()).toEqual([...onA].sort());
    expect(await commentCount(b.db)).toBe(await commentCount(a.db));
  });

  it('holds comments back while wp_commentmeta and the state table carry different copy marks, and applies them once both marks are gone', async () => {
    const n = await freshNode();
    await catchUp(n.db);
    const before = (await edgeComments(n.db)).length;
    await n.db.pool.query(
      "UPDATE wp_commentmeta SET meta_value = 'from another copy' WHERE comment_id = 0 AND meta_key = '_wp_edge_copy_mark'",
    );
    await edge.postComment({ comment: 'Held back by a half-loaded copy' });
    const client = edgeClient({ edgeUrl: edge.url.href, ...SECONDARY_KEY });
    const pull = () =>
      pullAndApply({ db: n.db, edge: client, logger: quiet, nodeId: 'agent-b', waitSeconds: 0 });
    expect(await pull()).toMatchObject({ applied: 0, behind: true });
    expect((await edgeComments(n.db)).length).toBe(before);
    await n.db.pool.query("DELETE FROM wp_wp_edge_state WHERE name = 'copy_mark'");
    await n.db.pool.query(
      "DELETE FROM wp_commentmeta WHERE comment_id = 0 AND meta_key = '_wp_edge_copy_mark'",
    );
    await catchUp(n.db);
    expect((await edgeComments(n.db)).map((row) => row.comment_content)).toContain(
      'Held back by a half-loaded copy',
    );
    expect((await edgeComments(n.db)).length).toBe(before + 1);
  });

  it('threads a reply under its parent when both arrive in one page', async () => {
    const a = await freshNode();
    const b = await freshNode();
    await catchUp(a.db, PRIMARY_KEY);
    await catchUp(b.db);
    const posted = async (fields: Record<string, string>) =>
      new URL((await edge.postComment(fields)).headers.get('location') ?? '').searchParams.get(
        'wp_edge_comment',
      ) ?? '';
    const parent = await posted({ comment: 'A parent in the same page' });
    await catchUp(a.db, PRIMARY_KEY);
    const [onA] = await rows(a.db, 'SELECT comment_id FROM wp_wp_edge_applied WHERE edge_id = ?', [
      parent,
    ]);
    const reply = await posted({
      comment: 'A reply in the same page',
      comment_parent: String(onA?.comment_id),
      wp_edge_node: 'agent-a',
    });
    await catchUp(b.db);
    const [threaded] = await rows(
      b.db,
      'SELECT c.comment_parent, p.comment_id AS parent_id FROM wp_wp_edge_applied r JOIN wp_comments c ON c.comment_ID = r.comment_id JOIN wp_wp_edge_applied p ON p.edge_id = ? WHERE r.edge_id = ?',
      [parent, reply],
    );
    expect(Number(threaded?.comment_parent)).toBe(Number(threaded?.parent_id));
    expect(Number(threaded?.comment_parent)).toBeGreaterThan(0);
  });

  it('threads a reply written on a secondary’s page under the right parent on every node', async () => {
    const a = await freshNode();
    const b = await freshNode();
    await catchUp(a.db, PRIMARY_KEY);
    await catchUp(b.db);
    // The owner answered in wp-admin on the primary: its numbering is now ahead of the secondary's.
    await a.db.pool.query(
      "INSERT INTO wp_comments (comment_post_ID, comment_author, comment_content, comment_approved, comment_date, comment_date_gmt) VALUES (1, 'Owner', 'A native reply', '1', NOW(), UTC_TIMESTAMP())",
    );
    const posted = async (fields: Record<string, string>) =>
      new URL((await edge.postComment(fields)).headers.get('location') ?? '').searchParams.get(
        'wp_edge_comment',
      ) ?? '';
    const localId = async (db: WordPressDb, edgeId: string) =>
      Number(
        (await rows(db, 'SELECT comment_id FROM wp_wp_edge_applied WHERE edge_id = ?', [edgeId]))[0]
          ?.comment_id,
      );
    const parentOf = async (db: WordPressDb, edgeId: string) =>
      Number(
        (
          await rows(
            db,
            'SELECT c.comment_parent FROM wp_comments c JOIN wp_wp_edge_applied a ON a.comment_id = c.comment_ID WHERE a.edge_id = ?',
            [edgeId],
          )
        )[0]?.comment_parent,
      );
    const parent = await posted({ comment: 'The parent' });
    await catchUp(a.db, PRIMARY_KEY);
    await catchUp(b.db);
    const onA = await localId(a.db, parent);
    const onB = await localId(b.db, parent);
    expect(onA).not.toBe(onB);
    const reply = await posted({
      comment: 'A reply from the secondary’s page',
      comment_parent: String(onB),
      wp_edge_node: 'agent-b',
    });
    expect(reply).not.toBe('');
    await catchUp(a.db, PRIMARY_KEY);
    await catchUp(b.db);
    expect(await parentOf(a.db, reply)).toBe(onA);
    expect(await parentOf(b.db, reply)).toBe(onB);
  });

  it('carries what the owner does to a comment in wp-admin on the primary to every other node', async () => {
    const a = await freshNode();
    const b = await freshNode();
    const edgeId =
      new URL(
        (await edge.postComment({ comment: 'Moderated in wp-admin' })).headers.get('location') ??
          '',
      ).searchParams.get('wp_edge_comment') ?? '';
    await catchUp(a.db, PRIMARY_KEY);
    await catchUp(b.db);
    const onB = async () =>
      (
        await rows(
          b.db,
          'SELECT c.comment_approved, c.comment_content FROM wp_comments c JOIN wp_wp_edge_applied x ON x.comment_id = c.comment_ID WHERE x.edge_id = ?',
          [edgeId],
        )
      )[0];
    const report = () => reportModeration({ db: a.db, edge: primaryEdge, logger: quiet });
    const countOnB = await commentCount(b.db);
    await a.db.pool.query(
      "UPDATE wp_comments c JOIN wp_wp_edge_applied x ON x.comment_id = c.comment_ID SET c.comment_approved = 'spam', c.comment_content = 'Cleaned up' WHERE x.edge_id = ?",
      [edgeId],
    );
    expect(await report()).toEqual({ primary: true, reported: 1 });
    expect(await report()).toEqual({ primary: true, reported: 0 });
    await catchUp(b.db);
    expect(await onB()).toEqual({ comment_approved: 'spam', comment_content: 'Cleaned up' });
    expect(await commentCount(b.db)).toBe(countOnB - 1);
    await catchUp(a.db, PRIMARY_KEY);
    expect(await report()).toEqual({ primary: true, reported: 0 });
    await a.db.pool.query(
      'DELETE c FROM wp_comments c JOIN wp_wp_edge_applied x ON x.comment_id = c.comment_ID WHERE x.edge_id = ?',
      [edgeId],
    );
    expect(await report()).toEqual({ primary: true, reported: 1 });
    await catchUp(b.db);
    expect(await onB()).toBeUndefined();
  });

  it('keeps the owner’s newest change on the primary when the log brings back an older one', async () => {
    const a = await freshNode();
    const b = await freshNode();
    const edgeId =
      new URL(
        (await edge.postComment({ comment: 'Changed twice' })).headers.get('location') ?? '',
      ).searchParams.get('wp_edge_comment') ?? '';
    await catchUp(a.db, PRIMARY_KEY);
    await catchUp(b.db);
    const approvedOn = async (db: WordPressDb) =>
      (
        await rows(
          db,
          'SELECT c.comment_approved FROM wp_comments c JOIN wp_wp_edge_applied x ON x.comment_id = c.comment_ID WHERE x.edge_id = ?',
          [edgeId],
        )
      )[0]?.comment_approved;
    const setOnA = (approved: string) =>
      a.db.pool.query(
        'UPDATE wp_comments c JOIN wp_wp_edge_applied x ON x.comment_id = c.comment_ID SET c.comment_approved = ? WHERE x.edge_id = ?',
        [approved, edgeId],
      );
    const report = () => reportModeration({ db: a.db, edge: primaryEdge, logger: quiet });
    await setOnA('spam');
    expect(await report()).toEqual({ primary: true, reported: 1 });
    await setOnA('1');
    await catchUp(a.db, PRIMARY_KEY);
    expect(await approvedOn(a.db)).toBe('1');
    expect(await report()).toEqual({ primary: true, reported: 1 });
    await catchUp(a.db, PRIMARY_KEY);
    await catchUp(b.db);
    expect(await approvedOn(a.db)).toBe('1');
    expect(await approvedOn(b.db)).toBe('1');
    expect(await report()).toEqual({ primary: true, reported: 0 });
  });

  it('acknowledges a page in one call with the cursor, the applied ids and the page to purge', async () => {
    const n = await freshNode();
    await catchUp(n.db);
    await edge.postComment({ comment: 'Purge my page' });
    const { edge: counted, calls } = countingClient();
    await pullAndApply({
      db: n.db,
      edge: counted,
      logger: quiet,
      nodeId: 'agent-b',
      waitSeconds: 0,
    });
    expect(calls.map((call) => call.path)).toEqual(['/agent/comments', '/agent/ack']);
    expect(calls[1]?.input).toMatchObject({
      cursor: await readCursor(n.db),
      applied: [expect.objectContaining({ wpId: expect.any(Number) })],
      purge: ['http://127.0.0.1/?p=1'],
    });
  });

  it('makes one signed call per page applied, and purges every post the page touched', async () => {
    const n = await freshNode();
    await catchUp(n.db);
    const now = '2026-01-01 00:00:00';
    const [inserted] = await n.db.pool.query<ResultSetHeader>(
      'INSERT INTO wp_posts (post_author, post_date, post_date_gmt, post_content, post_title, post_excerpt, post_status, comment_status, ping_status, post_name, to_ping, pinged, post_modified, post_modified_gmt, post_content_filtered, post_type) VALUES ?',
      [
        Array.from({ length: 250 }, (_, i) => [
          1,
          now,
          now,
          '',
          `Post ${i}`,
          '',
          'publish',
          'open',
          'open',
          `post-${i}`,
          '',
          '',
          now,
          now,
          '',
          'post',
        ]),
      ],
    );
    const posts = Array.from({ length: 250 }, (_, i) => inserted.insertId + i);
    await seedComments(edge, posts.length, (i) => posts[i] ?? 1);
    const { edge: counted, calls } = countingClient();
    const pull = () =>
      pullAndApply({ db: n.db, edge: counted, logger: quiet, nodeId: 'agent-b', waitSeconds: 0 });
    expect(await pull()).toMatchObject({ applied: 250, behind: false });
    const acks = calls.filter((call) => call.path === '/agent/ack');
    expect(calls.length - acks.length).toBe(1);
    expect(acks).toHaveLength(1);
    const purged = (acks[0]?.input as { purge: string[] } | undefined)?.purge ?? [];
    expect(purged.sort()).toEqual(posts.map((id) => `http://127.0.0.1/?p=${id}`).sort());
  });
});

/** A client for the secondary that counts each signed call, and makes it for real. */
function countingClient() {
  const client = edgeClient({ edgeUrl: edge.url.href, ...SECONDARY_KEY });
  const calls: { path: string; input: unknown }[] = [];
  const counted: EdgeClient = {
    call(route, input, options) {
      calls.push({ path: route.path, input });
      return client.call(route, input, options);
    },
  };
  return { edge: counted, calls };
}

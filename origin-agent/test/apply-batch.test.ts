import type { CommentEvent } from '@wp-edge/core';
import type { RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { applyEvents } from '../src/comments/apply-events.ts';
import { connectWordPress, type WordPressDb } from '../src/db/wordpress-db.ts';
import { agentNodes } from './support/agent-node.ts';

const PAGE = 500;
const edgeId = (i: number) => `BATCH${String(i).padStart(21, '0')}`;

const agentNode = agentNodes();

/** A fresh node whose site tells time in Berlin, so local dates differ from GMT ones. */
async function freshNode() {
  const n = await agentNode();
  await n.db.pool.query(
    "UPDATE wp_options SET option_value = 'Europe/Berlin' WHERE option_name = 'timezone_string'",
  );
  return n;
}

/**
 * A page of `PAGE` new comments from `first` on: on two posts, a third held, every tenth
 * asking to hear of replies, every seventh a reply to the comment before it (in the same
 * page), and moderation of earlier ones of the page in between (approved, edited, deleted).
 */
function page(first: number, seqFrom: number): CommentEvent[] {
  const events: CommentEvent[] = [];
  for (let i = first; i < first + PAGE; i++) {
    events.push({
      seq: seqFrom + events.length,
      type: 'created',
      comment: {
        id: edgeId(i),
        postId: 1 + (i % 2),
        parentWpId: 0,
        ...(i % 7 === 6 ? { parentEdgeId: edgeId(i - 1) } : {}),
        author: `Reader ${i}`,
        authorEmail: `reader${i}@example.com`,
        authorUrl: i % 5 === 0 ? `https://reader${i}.example` : '',
        content: `Batched comment ${i} — ünïcode ✓`,
        authorIp: `10.4.${i >> 8}.${i & 255}`,
        userAgent: 'Mozilla/5.0',
        status: i % 3 === 0 ? 'held' : 'approved',
        createdAt: new Date(Date.UTC(2026, 6, 1, 12, 0, i % 60)).toISOString(),
        ...(i % 10 === 0 ? { notifyReplies: true } : {}),
      },
    });
    if (i % 50 === 49) {
      const at = new Date().toISOString();
      events.push(
        {
          seq: seqFrom + events.length,
          type: 'moderated',
          commentId: edgeId(i - 3),
          status: 'approved',
          at,
        },
        {
          seq: seqFrom + events.length + 1,
          type: 'moderated',
          commentId: edgeId(i - 2),
          content: `Edited ${i}`,
          at,
        },
        {
          seq: seqFrom + events.length + 2,
          type: 'moderated',
          commentId: edgeId(i - 8),
          deleted: true,
          at,
        },
      );
    }
  }
  return events;
}

/** Every edge comment as its node has it, by edge id: its row, its parent's edge id, its meta, the agent's record. */
async function applied(db: WordPressDb): Promise<RowDataPacket[]> {
  const [rows] = await db.pool.query<RowDataPacket[]>(
    `SELECT a.edge_id, a.known_state, c.comment_post_ID, c.comment_author, c.comment_author_email,
            c.comment_author_url, c.comment_author_IP, CAST(c.comment_date AS CHAR) AS comment_date,
            CAST(c.comment_date_gmt AS CHAR) AS comment_date_gmt,
            c.comment_content, c.comment_karma, c.comment_approved, c.comment_agent, c.comment_type,
            c.user_id, pm.meta_value AS parent_edge_id,
            (SELECT GROUP_CONCAT(CONCAT(m.meta_key, '=', m.meta_value) ORDER BY m.meta_key)
               FROM wp_commentmeta m WHERE m.comment_id = c.comment_ID) AS meta,
            (SELECT m.meta_value FROM wp_commentmeta m
              WHERE m.comment_id = a.comment_id AND m.meta_key = 'wp_edge_id') AS own_edge_id
       FROM wp_wp_edge_applied a
       LEFT JOIN wp_comments c ON c.comment_ID = a.comment_id
       LEFT JOIN wp_commentmeta pm ON pm.comment_id = c.comment_parent AND pm.meta_key = 'wp_edge_id'
      ORDER BY a.edge_id`,
  );
  return rows;
}

const counts = async (db: WordPressDb) =>
  (await db.pool.query<RowDataPacket[]>('SELECT ID, comment_count FROM wp_posts ORDER BY ID'))[0];

describe('applying a page of comments in a few multi-row statements', () => {
  it('leaves every row and meta as applying the events one at a time does', async () => {
    const [batched, single] = [await freshNode(), await freshNode()];
    const first = page(0, 1);
    const events = [...first, ...page(PAGE, 1 + first.length)];
    await applyEvents(batched.db, first, first.length, 'agent-b');
    await applyEvents(batched.db, events.slice(first.length), events.length, 'agent-b');
    for (const event of events) await applyEvents(single.db, [event], event.seq, 'agent-b');
    const rows = await applied(batched.db);
    expect(rows).toHaveLength(2 * PAGE);
    expect(rows).toEqual(await applied(single.db));
    expect(await counts(batched.db)).toEqual(await counts(single.db));
    const reply = rows.find((row) => row.edge_id === edgeId(13));
    expect(reply).toMatchObject({
      parent_edge_id: edgeId(12),
      comment_date: '2026-07-01 14:00:13',
      comment_date_gmt: '2026-07-01 12:00:13',
      meta: `wp_edge_id=${edgeId(13)}`,
    });
    expect(rows.find((row) => row.edge_id === edgeId(20))?.meta).toBe(
      `wp_edge_id=${edgeId(20)},wp_edge_notify_replies=1`,
    );
    expect(rows.find((row) => row.edge_id === edgeId(41))).toMatchObject({
      known_state: 'deleted',
      comment_content: null,
    });
  });

  it('gives each comment its own id while WordPress writes comments of its own meanwhile', async () => {
    const n = await freshNode();
    const writer = connectWordPress(n.database);
    let writing = true;
    let written = 0;
    // Another writer, one comment a statement as WordPress inserts them, while pages go in.
    const wordpress = (async () => {
      while (writing) {
        await writer.pool.query(
          "INSERT INTO wp_comments (comment_post_ID, comment_author, comment_content, comment_date, comment_date_gmt, comment_approved) VALUES (1, 'Owner', ?, NOW(), UTC_TIMESTAMP(), '1')",
          [`Native ${written}`],
        );
        written++;
      }
    })();
    try {
      let seq = 1;
      for (let p = 0; p < 8; p++) {
        const events = page(p * PAGE, seq);
        seq += events.length;
        await applyEvents(n.db, events, seq - 1, 'agent-b');
      }
    } finally {
      writing = false;
      await wordpress;
      await writer.close();
    }
    const all = await applied(n.db);
    const deleted = new Set(
      all.filter((row) => row.known_state === 'deleted').map((row) => row.edge_id),
    );
    const rows = all.filter((row) => !deleted.has(row.edge_id));
    expect(written).toBeGreaterThan(0);
    expect(rows.length).toBeGreaterThan(7 * PAGE);
    for (const row of rows) {
      const i = Number(String(row.edge_id).slice(5));
      expect(row.own_edge_id).toBe(row.edge_id);
      expect(row.comment_author).toBe(`Reader ${i}`);
      if (i % 7 === 6 && !deleted.has(edgeId(i - 1)))
        expect(row.parent_edge_id).toBe(edgeId(i - 1));
    }
    const [natives] = await n.db.pool.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM wp_comments c JOIN wp_commentmeta m ON m.comment_id = c.comment_ID WHERE c.comment_author = 'Owner'",
    );
    expect(Number(natives[0]?.n)).toBe(0);
  });
});

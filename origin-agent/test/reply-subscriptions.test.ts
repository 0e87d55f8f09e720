import type { CommentEvent, EdgeComment } from '@wp-edge/core';
import type { RowDataPacket } from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyEvents } from '../src/comments/apply-events.ts';
import type { WordPressDb } from '../src/db/wordpress-db.ts';
import { type AgentNode, agentNodes } from './support/agent-node.ts';

const freshNode = agentNodes();
let wordpress: AgentNode;
let db: WordPressDb;

beforeAll(async () => {
  wordpress = await freshNode();
  db = wordpress.db;
});

const created = (seq: number, id: string, extra: Partial<EdgeComment>): CommentEvent => ({
  seq,
  type: 'created',
  comment: {
    id,
    postId: 1,
    parentWpId: 0,
    author: 'Ann',
    authorEmail: 'ann@example.com',
    authorUrl: '',
    content: `Comment ${id}`,
    authorIp: '203.0.113.5',
    userAgent: 'Browser',
    status: 'approved',
    createdAt: new Date().toISOString(),
    ...extra,
  },
});

async function subscriptionOf(edgeId: string): Promise<string[]> {
  const [rows] = await db.pool.query<RowDataPacket[]>(
    `SELECT s.meta_value FROM wp_commentmeta e
       JOIN wp_commentmeta s ON s.comment_id = e.comment_id AND s.meta_key = 'wp_edge_notify_replies'
      WHERE e.meta_key = 'wp_edge_id' AND e.meta_value = ?`,
    [edgeId],
  );
  return rows.map((row) => String(row.meta_value));
}

describe('a reader’s request to hear of replies, on the node', () => {
  it('is marked in commentmeta with the comment, once, and not for comments without it', async () => {
    const events = [
      created(1, 'E-SUB-ASKED', { notifyReplies: true }),
      created(2, 'E-SUB-NOT', {}),
    ];
    await applyEvents(db, events, 2, 'agent-b');
    await applyEvents(db, events, 2, 'agent-b');
    expect(await subscriptionOf('E-SUB-ASKED')).toEqual(['1']);
    expect(await subscriptionOf('E-SUB-NOT')).toEqual([]);
  });
});

import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@wp-edge/core';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullAndApply } from '../src/comments/comment-sync.ts';
import { reportModeration } from '../src/comments/moderation-report.ts';
import type { WordPressDb } from '../src/db/wordpress-db.ts';
import { edgeClient } from '../src/edge/edge-client.ts';
import { type AgentNode, agentNodes } from './support/agent-node.ts';
import { PRIMARY_KEY, startCommentsEdge } from './support/edge.ts';

const KEY = 'akismet-round-trip-key';
/** The author Akismet's documentation gives for testing: comment-check always answers spam. */
const SPAM_AUTHOR = 'akismet-guaranteed-spam';
const quiet = createLogger({}, { write: () => {} });

/** Akismet's REST API as documented, on loopback, recording each call's form. */
const calls: { call: string; form: URLSearchParams }[] = [];
const akismet = createServer((request: IncomingMessage, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => {
    body += chunk;
  });
  request.on('end', () => {
    const call = (request.url ?? '').split('/').pop() ?? '';
    const form = new URLSearchParams(body);
    calls.push({ call, form });
    const answer =
      call === 'comment-check'
        ? String(form.get('comment_author') === SPAM_AUTHOR)
        : 'Thanks for making the web a better place.';
    response.writeHead(200, { 'content-type': 'text/plain' }).end(answer);
  });
});

let edge: Awaited<ReturnType<typeof startCommentsEdge>>;
const freshNode = agentNodes();
let wordpress: AgentNode;
let db: WordPressDb;

beforeAll(async () => {
  await new Promise<void>((resolve) => akismet.listen(0, '127.0.0.1', resolve));
  const akismetUrl = `http://127.0.0.1:${(akismet.address() as AddressInfo).port}/1.1`;
  [edge, wordpress] = await Promise.all([
    startCommentsEdge({ akismetUrl, comments: { akismetKey: KEY } }),
    freshNode(),
  ]);
  db = wordpress.db;
});
afterAll(async () => {
  await edge?.dispose();
  await new Promise<void>((resolve) => akismet.close(() => resolve()));
});

async function catchUp() {
  const client = edgeClient({ edgeUrl: edge.url.href, ...PRIMARY_KEY });
  while (
    (await pullAndApply({ db, edge: client, logger: quiet, nodeId: 'agent-a', waitSeconds: 0 }))
      .behind
  ) {}
}

/** The owner's verdict in wp-admin on the primary, through WordPress's own wp_set_comment_status(), then the agent's report. */
async function ownerSets(content: string, status: 'spam' | 'approve') {
  const [rows] = await db.pool.query<RowDataPacket[]>(
    'SELECT comment_ID FROM wp_comments WHERE comment_content = ?',
    [content],
  );
  await wordpress.setCommentStatus(Number(rows[0]?.comment_ID), status);
  await reportModeration({
    db,
    edge: edgeClient({ edgeUrl: edge.url.href, ...PRIMARY_KEY }),
    logger: quiet,
  });
}

const approvedOf = async (content: string) => {
  const [rows] = await db.pool.query<RowDataPacket[]>(
    'SELECT comment_approved FROM wp_comments WHERE comment_content = ?',
    [content],
  );
  return rows.map((row) => String(row.comment_approved));
};

const callsFor = (call: string, content: string) =>
  calls.filter((entry) => entry.call === call && entry.form.get('comment_content') === content);

describe('Akismet round trips between the primary’s WordPress and the edge', () => {
  it('checks a reader’s comment, and sends submit-spam when the owner marks it spam in WordPress', async () => {
    const content = 'Buy now, Akismet missed me';
    await edge.postComment({ comment: content });
    expect(callsFor('comment-check', content)).toHaveLength(1);
    await catchUp();
    expect(await approvedOf(content)).toEqual(['1']);
    await ownerSets(content, 'spam');
    await expect.poll(() => callsFor('submit-spam', content).length, { timeout: 10_000 }).toBe(1);
    expect(callsFor('submit-spam', content)[0]?.form.get('api_key')).toBe(KEY);
  });

  it('stores what Akismet calls spam as spam on the node, and sends submit-ham when the owner approves it', async () => {
    const content = 'A real reader Akismet caught';
    await edge.postComment({ author: SPAM_AUTHOR, comment: content });
    await catchUp();
    expect(await approvedOf(content)).toEqual(['spam']);
    await ownerSets(content, 'approve');
    await expect.poll(() => callsFor('submit-ham', content).length, { timeout: 10_000 }).toBe(1);
    expect(callsFor('submit-ham', content)[0]?.form.get('comment_author')).toBe(SPAM_AUTHOR);
  });
});

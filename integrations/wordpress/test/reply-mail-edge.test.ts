import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  MemoryReplayGuard,
  REPLY_MAIL_KEY_ID,
  REPLY_MAIL_PATH,
  ReplyMail,
  verifyRequest,
} from '@wp-edge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEdgeComment } from './support/edge-comment.ts';
import { startWordPressSite, type WordPressSite } from './support/wordpress-site.ts';

const SECRET = 'origin-secret-for-edge-reply-mails-0123456789';

interface HandedOver {
  url: string;
  headers: Headers;
  body: string;
}

/** The comments Worker's reply-mail endpoint as the plugin sees it: 202, or 503 for a comment id containing FAIL. */
let handedOver: HandedOver[] = [];
let edge: ReturnType<typeof createServer>;
let site: WordPressSite;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk;
    });
    request.on('end', () => resolve(body));
  });
}

beforeAll(async () => {
  edge = createServer(async (request, response) => {
    const body = await readBody(request);
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers))
      if (typeof value === 'string') headers.set(name, value);
    handedOver.push({ url: `http://${request.headers.host}${request.url}`, headers, body });
    const failing = body.includes('FAIL');
    response
      .writeHead(failing ? 503 : 202, { 'content-type': 'application/json' })
      .end(failing ? '{"detail":"down"}' : '{"messageId":"<x@blog.example>"}');
  });
  await new Promise<void>((resolve) => edge.listen(0, '127.0.0.110', resolve));
  site = await startWordPressSite({
    address: '127.0.0.111',
    constants: {
      WP_EDGE_ORIGIN_SECRET: SECRET,
      WP_EDGE_ROLE: 'primary',
      WP_EDGE_REPLY_NOTIFICATIONS: true,
      WP_EDGE_REPLY_NOTIFICATIONS_VIA: 'email-binding',
      WP_EDGE_EDGE_URL: `http://127.0.0.110:${(edge.address() as AddressInfo).port}`,
      DISABLE_WP_CRON: true,
    },
  });
});
afterAll(async () => {
  await site?.stop();
  await new Promise<void>((resolve) => (edge ? edge.close(() => resolve()) : resolve()));
});

const subscribed = (edgeId: string, email: string) =>
  applyEdgeComment(site.db, {
    edgeId,
    content: `Question ${edgeId}`,
    approved: '1',
    email,
    notifyReplies: true,
  });

const ownerReply = (parent: number, content: string) =>
  site.cli(
    `wp_set_current_user(1); echo wp_new_comment(['comment_post_ID' => 1, 'comment_parent' => ${parent},
      'comment_content' => '${content}', 'comment_author' => 'admin', 'comment_author_email' => 'admin@example.com',
      'comment_author_url' => '', 'user_id' => 1]);`,
  );

describe('reply notifications handed to the edge’s send_email binding', () => {
  it('hands the mail to the edge signed with the origin secret, and sends none itself', async () => {
    handedOver = [];
    const parent = await subscribed('E-EDGE-MAIL', 'lea@example.com');
    await ownerReply(parent, 'Thanks, Lea');
    expect(handedOver).toHaveLength(1);
    const [request] = handedOver;
    if (!request) throw new Error('nothing handed over');
    expect(new URL(request.url).pathname).toBe(REPLY_MAIL_PATH);
    const verified = await verifyRequest(
      { method: 'POST', url: request.url, headers: request.headers, body: request.body },
      {
        findKey: async (keyId) => (keyId === REPLY_MAIL_KEY_ID ? { secret: SECRET } : undefined),
        replayGuard: new MemoryReplayGuard(),
      },
    );
    expect(verified).toMatchObject({ ok: true });
    const mail = ReplyMail.parse(JSON.parse(request.body));
    expect(mail).toMatchObject({
      commentId: 'E-EDGE-MAIL',
      to: 'lea@example.com',
      subject: '[Plugin test] New reply to your comment on "Hello world!"',
    });
    expect(mail.text).toContain('Thanks, Lea');
    expect(mail.unsubscribeUrl).toMatch(
      /^http:\/\/127\.0\.0\.111:8100\/\?wp_edge_unsubscribe=E-EDGE-MAIL&signature=[0-9a-f]{64}$/,
    );
    expect(mail.text).toContain(mail.unsubscribeUrl);
    expect((await site.mails()).filter((sent) => sent.includes('lea@example.com'))).toHaveLength(0);
  });

  it('keeps the reply unmarked when the edge did not send it, so its next approval tries again', async () => {
    handedOver = [];
    const parent = await subscribed('E-EDGE-FAIL', 'max@example.com');
    const reply = await ownerReply(parent, 'Answer while the edge is down');
    expect(handedOver).toHaveLength(1);
    expect(await site.cli(`echo get_comment_meta(${reply}, 'wp_edge_reply_notified', true);`)).toBe(
      '',
    );
    await site.cli(
      `wp_set_comment_status(${reply}, 'hold'); wp_set_comment_status(${reply}, 'approve');`,
    );
    expect(handedOver).toHaveLength(2);
  });
});

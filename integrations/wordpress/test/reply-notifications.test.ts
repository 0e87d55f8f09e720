import { NOTIFY_REPLIES_FIELD, NOTIFY_REPLIES_META_KEY, ORIGIN_SECRET_HEADER } from '@wp-edge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEdgeComment } from './support/edge-comment.ts';
import { startWordPressSite, type WordPressSite } from './support/wordpress-site.ts';

const SECRET = 'origin-secret-for-reply-mails-0123456789';
const EDGE = { [ORIGIN_SECRET_HEADER]: SECRET };

let site: WordPressSite;
let secondary: WordPressSite;

beforeAll(async () => {
  const constants = {
    WP_EDGE_ORIGIN_SECRET: SECRET,
    WP_EDGE_REPLY_NOTIFICATIONS: true,
    DISABLE_WP_CRON: true,
  };
  [site, secondary] = await Promise.all([
    startWordPressSite({
      address: '127.0.0.108',
      constants: { ...constants, WP_EDGE_ROLE: 'primary' },
    }),
    startWordPressSite({
      address: '127.0.0.109',
      constants: { ...constants, WP_EDGE_ROLE: 'secondary' },
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([site?.stop(), secondary?.stop()]);
});

/** A reader's comment that asked to hear of replies, as the agent applied it. */
const subscribed = (edgeId: string, email: string) =>
  applyEdgeComment(site.db, {
    edgeId,
    content: `Question ${edgeId}`,
    approved: '1',
    email,
    notifyReplies: true,
  });

/** The owner replying in wp-admin: wp_new_comment as the logged-in admin (approved at once). */
const ownerReply = (wordpress: WordPressSite, parent: number, content: string) =>
  wordpress.cli(
    `wp_set_current_user(1); echo wp_new_comment(['comment_post_ID' => 1, 'comment_parent' => ${parent},
      'comment_content' => '${content}', 'comment_author' => 'admin', 'comment_author_email' => 'admin@example.com',
      'comment_author_url' => '', 'user_id' => 1]);`,
  );

const mailsTo = async (wordpress: WordPressSite, address: string) =>
  (await wordpress.mails()).filter((mail) => mail.includes(`To: ${address}`));

const header = (mail: string, name: string) =>
  new RegExp(`^${name}: (.*)$`, 'm').exec(mail)?.[1]?.trim() ?? '';

describe('reply notifications for commenters', () => {
  it('offers the checkbox on the comment form', async () => {
    const html = await (await fetch(`${site.url}/?p=1`, { headers: EDGE })).text();
    expect(html).toContain(`name="${NOTIFY_REPLIES_FIELD}"`);
    expect(html).toContain('Notify me of replies by email');
  });

  it('mails the commenter once when the owner replies in wp-admin, with a one-click unsubscribe', async () => {
    const parent = await subscribed('E-REPLY-OWNER', 'bea@example.com');
    await ownerReply(site, parent, 'Thanks, Bea');
    await site.cli(`wp_set_comment_status(${parent}, 'approve');`);
    const mails = await mailsTo(site, 'bea@example.com');
    expect(mails).toHaveLength(1);
    const [mail = ''] = mails;
    expect(header(mail, 'Subject')).toBe(
      '[Plugin test] New reply to your comment on "Hello world!"',
    );
    expect(mail).toContain('Thanks, Bea');
    expect(header(mail, 'List-Unsubscribe')).toMatch(
      /^<http:\/\/127\.0\.0\.108:8100\/\?wp_edge_unsubscribe=E-REPLY-OWNER&signature=[0-9a-f]{64}>$/,
    );
    expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  });

  it('mails nothing for a held reply, and once when the owner approves it', async () => {
    const parent = await subscribed('E-REPLY-HELD', 'cy@example.com');
    const reply = await site.cli(
      `echo wp_insert_comment(['comment_post_ID' => 1, 'comment_parent' => ${parent}, 'comment_content' => 'Held answer',
        'comment_author' => 'Dan', 'comment_author_email' => 'dan@example.com', 'comment_approved' => '0']);`,
    );
    expect(await mailsTo(site, 'cy@example.com')).toHaveLength(0);
    await site.cli(`wp_set_comment_status(${reply}, 'approve');`);
    await site.cli(
      `wp_set_comment_status(${reply}, 'hold'); wp_set_comment_status(${reply}, 'approve');`,
    );
    expect(await mailsTo(site, 'cy@example.com')).toHaveLength(1);
  });

  it('mails the commenter when a reader’s reply through the edge reaches the primary', async () => {
    const parent = await subscribed('E-REPLY-EDGE', 'eve@example.com');
    await applyEdgeComment(site.db, {
      edgeId: 'E-REPLY-EDGE-ANSWER',
      content: 'A reader answers',
      approved: '1',
      parent,
      author: 'Fay',
      email: 'fay@example.com',
    });
    await site.cli('wp_edge_notify_scan(); wp_edge_notify_scan();');
    const mails = await mailsTo(site, 'eve@example.com');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain('A reader answers');
  });

  it('mails nothing for a reply to a comment that did not ask, or to the commenter’s own reply', async () => {
    const quiet = await applyEdgeComment(site.db, {
      edgeId: 'E-REPLY-QUIET',
      content: 'No mails please',
      approved: '1',
      email: 'gus@example.com',
    });
    await ownerReply(site, quiet, 'Answer to Gus');
    const own = await subscribed('E-REPLY-SELF', 'hal@example.com');
    await site.cli(
      `wp_insert_comment(['comment_post_ID' => 1, 'comment_parent' => ${own}, 'comment_content' => 'Me again',
        'comment_author' => 'Hal', 'comment_author_email' => 'HAL@example.com', 'comment_approved' => '1']);`,
    );
    expect(await mailsTo(site, 'gus@example.com')).toHaveLength(0);
    expect(await mailsTo(site, 'hal@example.com')).toHaveLength(0);
  });

  it('never mails from a secondary', async () => {
    const parent = await applyEdgeComment(secondary.db, {
      edgeId: 'E-REPLY-SECONDARY',
      content: 'On the secondary',
      approved: '1',
      email: 'ivy@example.com',
      notifyReplies: true,
    });
    await ownerReply(secondary, parent, 'Answered on a secondary');
    expect(await mailsTo(secondary, 'ivy@example.com')).toHaveLength(0);
  });

  it('unsubscribes with the one-click POST from the mail, and mails no more replies', async () => {
    const parent = await subscribed('E-REPLY-UNSUB', 'jo@example.com');
    await ownerReply(site, parent, 'First answer');
    const [mail = ''] = await mailsTo(site, 'jo@example.com');
    const link = header(mail, 'List-Unsubscribe').slice(1, -1);
    // A mail scanner opening the link changes nothing: the page only asks.
    const asked = await fetch(link, { headers: EDGE });
    expect(asked.status).toBe(200);
    expect(asked.headers.get('cache-control')).toContain('no-cache');
    expect(await asked.text()).toContain('Unsubscribe');
    expect(
      await site.cli(`echo get_comment_meta(${parent}, '${NOTIFY_REPLIES_META_KEY}', true);`),
    ).toBe('1');
    // RFC 8058: the mail client POSTs List-Unsubscribe=One-Click to the link.
    const done = await fetch(link, {
      method: 'POST',
      headers: { ...EDGE, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('no more mails');
    expect(
      await site.cli(`echo get_comment_meta(${parent}, '${NOTIFY_REPLIES_META_KEY}', true);`),
    ).toBe('');
    await ownerReply(site, parent, 'Second answer');
    expect(await mailsTo(site, 'jo@example.com')).toHaveLength(1);
  });

  it('refuses an unsubscribe link whose signature does not match, changing nothing', async () => {
    const parent = await subscribed('E-REPLY-FORGED', 'kim@example.com');
    const forged = await fetch(
      `${site.url}/?wp_edge_unsubscribe=E-REPLY-FORGED&signature=${'0'.repeat(64)}`,
      { method: 'POST', headers: EDGE, body: 'List-Unsubscribe=One-Click' },
    );
    expect(forged.status).toBe(403);
    expect(
      await site.cli(`echo get_comment_meta(${parent}, '${NOTIFY_REPLIES_META_KEY}', true);`),
    ).toBe('1');
  });
});

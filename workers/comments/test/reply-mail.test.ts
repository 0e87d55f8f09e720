import { env, exports } from 'cloudflare:workers';
import { REPLY_MAIL_KEY_ID, REPLY_MAIL_PATH, type ReplyMail, signRequest } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { type Blog, createBlog } from './blog.ts';

const commentId = (response: Response) =>
  new URL(response.headers.get('location') ?? '').searchParams.get('wp_edge_comment') ?? '';

const EMAIL_BINDING = { replyNotifications: true, replyNotificationsVia: 'email-binding' };

/** A reader's comment asking to hear of replies, and the mail the primary's plugin composed for them. */
async function subscribed(blog: Blog, email = 'bea@example.com'): Promise<ReplyMail> {
  const id = commentId(await blog.form({ email, wp_edge_notify_replies: '1' }));
  return {
    commentId: id,
    to: email,
    subject: '[Blog] New reply to your comment on "Grüße"',
    text: `admin replied to your comment on "Grüße":\n\nThanks, Bea\n\nTo stop: ${blog.base}/?wp_edge_unsubscribe=${id}&signature=${'a'.repeat(64)}\n`,
    unsubscribeUrl: `${blog.base}/?wp_edge_unsubscribe=${id}&signature=${'a'.repeat(64)}`,
  };
}

/** The mail handed over as the plugin does: signed with core's request signature, keyed by the origin secret. */
async function handOver(blog: Blog, mail: unknown, secret = blog.originSecret) {
  const url = `${blog.base}${REPLY_MAIL_PATH}`;
  const body = JSON.stringify(mail);
  const signature = await signRequest({
    method: 'POST',
    url,
    body,
    keyId: REPLY_MAIL_KEY_ID,
    secret,
  });
  return exports.default.fetch(url, {
    method: 'POST',
    body,
    headers: { ...signature, 'content-type': 'application/json' },
  });
}

/** The raw message the local send_email binding sent, once it has written it. */
async function sentMessage(messageId: string): Promise<string> {
  let raw = '';
  await expect
    .poll(
      async () => {
        const answer = await env.MAILBOX.fetch(
          `http://mailbox/?messageId=${encodeURIComponent(messageId)}`,
        );
        raw = await answer.text();
        return answer.status;
      },
      { timeout: 10_000, interval: 100 },
    )
    .toBe(200);
  return raw;
}

const header = (raw: string, name: string) =>
  new RegExp(`^${name}: (.*(?:\\r?\\n[ \\t].*)*)`, 'im')
    .exec(raw)?.[1]
    ?.replace(/\r?\n[ \t]/g, ' ');

describe('reply notifications through the send_email binding', () => {
  it('sends the plugin’s mail to the commenter, with the one-click unsubscribe headers', async () => {
    const blog = await createBlog('reply-mail-sent', EMAIL_BINDING);
    const mail = await subscribed(blog);
    const answer = await handOver(blog, mail);
    expect(answer.status).toBe(202);
    const { messageId } = (await answer.json()) as { messageId: string };
    const raw = await sentMessage(messageId);
    expect(header(raw, 'From')).toBe(`wordpress@${blog.host}`);
    expect(header(raw, 'To')).toBe('bea@example.com');
    expect(header(raw, 'List-Unsubscribe')).toBe(`<${mail.unsubscribeUrl}>`);
    expect(header(raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const subject = header(raw, 'Subject') ?? '';
    const decoded = [...subject.matchAll(/=\?UTF-8\?B\?([^?]*)\?=/g)]
      .map(([, word]) =>
        new TextDecoder().decode(Uint8Array.from(atob(word ?? ''), (c) => c.charCodeAt(0))),
      )
      .join('');
    expect(decoded).toBe(mail.subject);
    const body = raw
      .split(/\r?\n\r?\n/)
      .slice(1)
      .join('')
      .replace(/\s+/g, '');
    const text = new TextDecoder().decode(Uint8Array.from(atob(body), (c) => c.charCodeAt(0)));
    expect(text).toContain('Thanks, Bea');
    expect(text).toContain(mail.unsubscribeUrl);
  });

  it('sends from the site’s comments.replyNotificationsFrom when it names one', async () => {
    const blog = await createBlog('reply-mail-from', {
      ...EMAIL_BINDING,
      replyNotificationsFrom: 'replies@reply-mail-from.example',
    });
    const answer = await handOver(blog, await subscribed(blog));
    const { messageId } = (await answer.json()) as { messageId: string };
    expect(header(await sentMessage(messageId), 'From')).toBe('replies@reply-mail-from.example');
  });

  it.each([
    [
      'unsigned',
      async (blog: Blog, mail: ReplyMail) =>
        exports.default.fetch(`${blog.base}${REPLY_MAIL_PATH}`, {
          method: 'POST',
          body: JSON.stringify(mail),
          headers: { 'content-type': 'application/json' },
        }),
    ],
    [
      'signed with another secret',
      (blog: Blog, mail: ReplyMail) => handOver(blog, mail, 'not-the-origin-secret'),
    ],
  ])('refuses a mail %s with 401', async (_what, send) => {
    const blog = await createBlog(`reply-mail-401-${_what.length}`, EMAIL_BINDING);
    const answer = await send(blog, await subscribed(blog));
    expect(answer.status).toBe(401);
  });

  it('refuses a replayed hand-over with 401, so no mail goes twice', async () => {
    const blog = await createBlog('reply-mail-replay', EMAIL_BINDING);
    const url = `${blog.base}${REPLY_MAIL_PATH}`;
    const body = JSON.stringify(await subscribed(blog));
    const headers = {
      ...(await signRequest({
        method: 'POST',
        url,
        body,
        keyId: REPLY_MAIL_KEY_ID,
        secret: blog.originSecret,
      })),
      'content-type': 'application/json',
    };
    expect((await exports.default.fetch(url, { method: 'POST', body, headers })).status).toBe(202);
    const again = await exports.default.fetch(url, { method: 'POST', body, headers });
    expect(again.status).toBe(401);
  });

  it('refuses with 409 on a site that sends them through WordPress (the default)', async () => {
    const blog = await createBlog('reply-mail-wordpress', { replyNotifications: true });
    const answer = await handOver(blog, await subscribed(blog));
    expect(answer.status).toBe(409);
    expect(await answer.text()).toContain('replyNotificationsVia');
  });

  it('refuses with 403 a mail to anyone but the author of the comment it names', async () => {
    const blog = await createBlog('reply-mail-other', EMAIL_BINDING);
    const mail = await subscribed(blog);
    const answer = await handOver(blog, { ...mail, to: 'someone-else@example.com' });
    expect(answer.status).toBe(403);
  });

  it('refuses with 422 an unsubscribe link on another host', async () => {
    const blog = await createBlog('reply-mail-link', EMAIL_BINDING);
    const mail = await subscribed(blog);
    const answer = await handOver(blog, {
      ...mail,
      unsubscribeUrl: 'https://elsewhere.example/?u=1',
    });
    expect(answer.status).toBe(422);
  });

  it('refuses with 400, naming the field, a mail without a subject', async () => {
    const blog = await createBlog('reply-mail-invalid', EMAIL_BINDING);
    const { subject: _dropped, ...mail } = await subscribed(blog);
    const answer = await handOver(blog, mail);
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('subject');
  });
});

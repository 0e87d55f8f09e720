import { EmailMessage } from 'cloudflare:email';
import {
  ProblemError,
  REPLY_MAIL_KEY_ID,
  REPLY_MAIL_PATH,
  ReplyMail,
  validate,
  verifyRequest,
} from '@wp-edge/core';
import { comments, D1ReplayGuard } from '@wp-edge/core/db';
import { and, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { CommentsEnv } from '../routes/intake.ts';
import { defaultSender, replyMessage } from './mime.ts';

const MAX_BODY_BYTES = 256 * 1024;

/** Only the site's own plugin may hand over a mail: core's request signature, keyed by the origin secret. */
const signedByOrigin = createMiddleware<CommentsEnv>(async (c, next) => {
  const secret = c.var.site.originSecret;
  const result = await verifyRequest(
    {
      method: c.req.method,
      url: c.req.url,
      headers: c.req.raw.headers,
      body: await c.req.arrayBuffer(),
    },
    {
      findKey: async (keyId) => (keyId === REPLY_MAIL_KEY_ID && secret ? { secret } : undefined),
      replayGuard: new D1ReplayGuard(drizzle(c.env.DB)),
    },
  );
  if (!result.ok)
    throw new ProblemError(401, result.message, {
      type: `urn:wp-edge:signature:${result.reason}`,
    });
  await next();
});

/**
 * A reply notification the primary's plugin composed, sent through the `send_email` binding on
 * a site whose `comments.replyNotificationsVia` is `email-binding`. The mail goes only to the
 * author of the edge comment it names, and nothing of it is kept here.
 */
export const replyMail = new Hono<CommentsEnv>().post(
  REPLY_MAIL_PATH,
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ProblemError(413, `a reply mail is at most ${MAX_BODY_BYTES} bytes`);
    },
  }),
  signedByOrigin,
  validate('json', ReplyMail),
  async (c) => {
    const { site } = c.var;
    const settings = site.settings.comments;
    if (!settings.replyNotifications || settings.replyNotificationsVia !== 'email-binding')
      throw new ProblemError(
        409,
        'this site does not send reply notifications through the edge (comments.replyNotificationsVia is not email-binding): send them with wp_mail',
      );
    const mail = c.req.valid('json');
    const [comment] = await drizzle(c.env.DB)
      .select({ email: comments.authorEmail, status: comments.status })
      .from(comments)
      .where(and(eq(comments.siteId, site.id), eq(comments.id, mail.commentId)));
    if (
      !comment ||
      comment.status === 'spam' ||
      comment.status === 'trash' ||
      comment.email.toLowerCase() !== mail.to.toLowerCase()
    )
      throw new ProblemError(
        403,
        `a reply mail goes only to the author of edge comment ${mail.commentId}, and ${mail.to} is not it`,
      );
    const unsubscribeHost = new URL(mail.unsubscribeUrl).hostname.toLowerCase();
    if (!site.hosts.some((host) => host.toLowerCase() === unsubscribeHost))
      throw new ProblemError(
        422,
        `unsubscribeUrl must be on the site's own host (${site.hosts.join(', ')}), not ${unsubscribeHost}`,
      );
    const from = settings.replyNotificationsFrom ?? defaultSender(site.hosts[0] ?? unsubscribeHost);
    const sent = await c.env.EMAIL.send(new EmailMessage(from, mail.to, replyMessage(mail, from)));
    return c.json({ messageId: sent.messageId }, 202);
  },
);

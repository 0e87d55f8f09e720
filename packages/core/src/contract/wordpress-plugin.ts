import { z } from 'zod';

/**
 * What the edge and the WordPress plugin (`integrations/wordpress/`) must agree on. The plugin
 * imports nothing; its tests check that its PHP constants equal these.
 */

/** The header the router sends every node with the site's origin secret; the plugin's origin lock refuses requests without it. */
export const ORIGIN_SECRET_HEADER = 'X-WP-Edge-Origin-Secret';

/** The comment meta key under which the agent keeps each applied comment's edge id. */
export const EDGE_ID_META_KEY = 'wp_edge_id';

/** The query parameter naming the comment's edge id in the redirect after a form post. */
export const REDIRECT_COMMENT_PARAM = 'wp_edge_comment';

/** The comment meta key the plugin marks a comment with once WordPress's mails for it are sent; WordPress's own comments get it when they enter the log. */
export const NOTIFIED_META_KEY = 'wp_edge_notified';

/** The comment form's checkbox asking for a mail on each reply (the plugin adds it; the comments Worker reads it). */
export const NOTIFY_REPLIES_FIELD = 'wp_edge_notify_replies';

/** The comment meta key (value `1`) marking a comment whose author asked to hear of replies; the agent writes it. */
export const NOTIFY_REPLIES_META_KEY = 'wp_edge_notify_replies';

/** The cookie that shows commenters their held comment before it reaches the node. */
export const HELD_COMMENT_COOKIE = 'wp_edge_held_comment';

/** How long the held comment is shown from the cookie: WordPress's own preview lasts 10 minutes. */
export const HELD_COMMENT_TTL_SECONDS = 600;

/** The comment a held-comment cookie carries (no email or address: the cookie is the reader's, but it travels). */
export const HeldComment = z.object({
  id: z.string().min(1),
  postId: z.number().int().positive(),
  author: z.string(),
  authorUrl: z.string(),
  content: z.string(),
  /** When it was written, ISO 8601 in UTC. */
  date: z.iso.datetime(),
  /** Unix seconds after which the plugin ignores the cookie. */
  expires: z.number().int(),
});
export type HeldComment = z.infer<typeof HeldComment>;

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** The cookie value for a held comment: base64url(JSON) "." base64url(HMAC-SHA256 of that, keyed by the origin secret). */
export async function signHeldComment(comment: HeldComment, originSecret: string): Promise<string> {
  const payload = base64url(new TextEncoder().encode(JSON.stringify(HeldComment.parse(comment))));
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(originSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(payload));
  return `${payload}.${base64url(new Uint8Array(mac))}`;
}

/**
 * Where the primary's plugin hands a reply notification to the comments Worker, on a site whose
 * `comments.replyNotificationsVia` is `email-binding`; the Worker sends it through its
 * `send_email` binding and keeps nothing of it.
 */
export const REPLY_MAIL_PATH = '/api/comments/reply-mail';

/**
 * The key id the plugin signs reply mails with (core's request signature, `x-wp-edge-key-id`),
 * keyed by the site's origin secret: the plugin has no node key.
 */
export const REPLY_MAIL_KEY_ID = 'origin-secret';

/** A reply notification the primary's plugin composed, as it hands it to the edge. */
export const ReplyMail = z.object({
  /** The edge id of the comment whose author asked to hear of replies: the mail goes to that comment's own address. */
  commentId: z.string().min(1).max(64),
  to: z.email({ error: 'to must be the email address of the comment’s author' }),
  subject: z.string().min(1).max(300),
  text: z.string().min(1).max(100_000),
  /** The signed one-click unsubscribe link (RFC 8058), on the site's own host. */
  unsubscribeUrl: z.url({ protocol: /^https?$/ }),
});
export type ReplyMail = z.infer<typeof ReplyMail>;

import { NOTIFY_REPLIES_FIELD, RENDERED_BY_FIELD } from '@wp-edge/core';
import { z } from 'zod';

const encoder = new TextEncoder();

/**
 * WordPress's column limits (wp_comments), in bytes as WordPress counts them
 * (`mb_strlen(…, '8bit')`), with its own wording for each: a longer value would not fit the
 * node's column, and the agent could never insert it.
 */
export const LIMITS = {
  authorBytes: { max: 245, message: 'Your name is too long.' },
  emailBytes: { max: 100, message: 'Your email address is too long.' },
  urlBytes: { max: 200, message: 'Your URL is too long.' },
  contentBytes: { max: 65_525, message: 'Your comment is too long.' },
} as const;

const withinBytes = (limit: { max: number; message: string }) =>
  [(value: string) => encoder.encode(value).length <= limit.max, { error: limit.message }] as const;

// Trimmed before, as PHP trims (asWordPressReadsIt): JavaScript's trim() would also take NBSP.
const text = (limit: { max: number; message: string }) =>
  z
    .string()
    .refine(...withinBytes(limit))
    .default('');

/** A comment as a reader submitted it, before the site's rules are applied. */
export const Submission = z.object({
  postId: z.coerce
    .number({ error: 'Sorry, that post could not be found.' })
    .int({ error: 'Sorry, that post could not be found.' })
    .positive({ error: 'Sorry, that post could not be found.' }),
  parentWpId: z.coerce.number().int().min(0).default(0),
  author: text(LIMITS.authorBytes),
  email: text(LIMITS.emailBytes),
  url: text(LIMITS.urlBytes),
  content: z
    .string()
    .min(1, { error: 'Please type your comment text.' })
    .refine(...withinBytes(LIMITS.contentBytes)),
  rememberMe: z.boolean().default(false),
  /** The reader ticked "notify me of replies". */
  notifyReplies: z.boolean().default(false),
  /** The reader has entered a post's password (WordPress's `wp-postpass_*` cookie). */
  hasPostPassword: z.boolean().default(false),
  renderedBy: z.string().max(63).optional(),
  turnstileToken: z.string().optional(),
  honeypot: z.string().optional(),
});
export type Submission = z.infer<typeof Submission>;

/** The fields of WordPress's comment form (`wp-comments-post.php`) as a submission. */
export function fromForm(
  form: FormData,
  honeypotField: string | undefined,
): Record<string, unknown> {
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  return {
    postId: field('comment_post_ID'),
    parentWpId: field('comment_parent') || 0,
    author: field('author'),
    email: field('email'),
    url: field('url'),
    content: field('comment') ?? '',
    rememberMe: field('wp-comment-cookies-consent') === 'yes',
    notifyReplies: Boolean(field(NOTIFY_REPLIES_FIELD)),
    renderedBy: field(RENDERED_BY_FIELD),
    turnstileToken: field('cf-turnstile-response'),
    honeypot: honeypotField ? field(honeypotField) : undefined,
  };
}

/** The JSON API's body (`POST /api/comments`) as a submission. */
export const ApiComment = z.object({
  postId: z.number().int().positive(),
  parent: z.number().int().min(0).optional(),
  renderedBy: z.string().max(63).optional(),
  author: z.string().optional(),
  email: z.string().optional(),
  url: z.string().optional(),
  content: z.string(),
  turnstileToken: z.string().optional(),
  notifyReplies: z.boolean().optional(),
});

export function fromApi(body: z.infer<typeof ApiComment>): Record<string, unknown> {
  return {
    postId: body.postId,
    parentWpId: body.parent ?? 0,
    renderedBy: body.renderedBy,
    author: body.author,
    email: body.email,
    url: body.url,
    content: body.content,
    turnstileToken: body.turnstileToken,
    notifyReplies: body.notifyReplies ?? false,
  };
}

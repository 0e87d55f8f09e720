import { type SiteVariables, validate } from '@wp-edge/core';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { acceptComment } from '../intake/accept.ts';
import { afterAccept } from '../intake/after-accept.ts';
import { commentCookies, redirectLocation } from '../intake/form-answers.ts';
import { heldCommentCookie } from '../intake/held-comment-cookie.ts';
import { countedOutcome } from '../intake/outcome-figures.ts';
import { refuse } from '../intake/refusal.ts';
import { ApiComment, fromApi, fromForm } from '../intake/submission.ts';

export type CommentsEnv = { Bindings: Env; Variables: SiteVariables };

/** Where WordPress's comment form posts; its refusals are WordPress error pages (`index.ts`). */
export const FORM_PATH = '/wp-comments-post.php';

// A comment is at most 65,525 bytes, up to three times that once form-encoded; the rest is small.
const MAX_BODY_BYTES = 256 * 1024;
const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw refuse(413, 'too-large', 'Your comment is too long.');
  },
});

/**
 * WordPress's comment form, posted as it is (no theme change): a redirect back to the post
 * when accepted, WordPress-style error page when refused.
 */
export const formIntake = new Hono<CommentsEnv>().post(FORM_PATH, limitBody, async (c) => {
  const { site } = c.var;
  const form = await c.req.formData().catch(() => {
    throw refuse(400, 'invalid', 'The comment form could not be read.');
  });
  const accepted = await countedOutcome(
    c.env,
    c.executionCtx,
    site.id,
    acceptComment(c.env, site, fromForm(form, site.settings.comments.honeypotField), c.req.raw),
  );
  afterAccept(c.env, c.executionCtx, site, accepted);
  const headers = new Headers({
    location: redirectLocation(accepted, new URL(c.req.url)),
    'cache-control': 'no-store',
  });
  for (const cookie of await commentCookies(accepted)) headers.append('set-cookie', cookie);
  const held = await heldCommentCookie(accepted, site.originSecret);
  if (held) headers.append('set-cookie', held);
  return new Response(null, { status: 302, headers });
});

/** The JSON API: 201 with the comment's id and status, or a problem+json refusal. */
export const apiIntake = new Hono<CommentsEnv>().post(
  '/api/comments',
  limitBody,
  validate('json', ApiComment),
  async (c) => {
    const { site } = c.var;
    const accepted = await countedOutcome(
      c.env,
      c.executionCtx,
      site.id,
      acceptComment(c.env, site, fromApi(c.req.valid('json')), c.req.raw),
    );
    afterAccept(c.env, c.executionCtx, site, accepted);
    return c.json(
      { id: accepted.comment.id, status: accepted.comment.status, postId: accepted.comment.postId },
      201,
      {
        'cache-control': 'no-store',
      },
    );
  },
);

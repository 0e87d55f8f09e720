import {
  HELD_COMMENT_COOKIE,
  HELD_COMMENT_TTL_SECONDS,
  type HeldComment,
  signHeldComment,
} from '@wp-edge/core';
import type { Accepted } from './accept.ts';

/** Browsers keep a cookie of up to 4096 bytes, name and attributes included. */
export const MAX_HELD_COOKIE_VALUE_BYTES = 3800;

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

/**
 * The cookie with which the WordPress plugin shows a held comment to its author before the
 * comment has reached the node: the comment, signed with the site's origin secret, for the
 * 10 minutes WordPress's own preview lasts. A comment too long for a cookie is cut, marked
 * with "…". None for a comment that is not held, or on a site without an origin secret.
 */
export async function heldCommentCookie(
  accepted: Accepted,
  originSecret: string | undefined,
  nowMs: number = Date.now(),
): Promise<string | undefined> {
  const { comment } = accepted;
  if (!originSecret || comment.status !== 'held') return undefined;
  const held: HeldComment = {
    id: comment.id,
    postId: comment.postId,
    author: comment.author,
    authorUrl: comment.authorUrl,
    content: comment.content,
    date: comment.createdAt,
    expires: Math.floor(nowMs / 1000) + HELD_COMMENT_TTL_SECONDS,
  };
  let characters = [...comment.content];
  let value = await signHeldComment(held, originSecret);
  while (utf8Length(value) > MAX_HELD_COOKIE_VALUE_BYTES && characters.length > 0) {
    const keep = Math.floor(
      (characters.length * MAX_HELD_COOKIE_VALUE_BYTES * 0.95) / utf8Length(value),
    );
    characters = characters.slice(0, Math.min(keep, characters.length - 1));
    value = await signHeldComment({ ...held, content: `${characters.join('')}…` }, originSecret);
  }
  return `${HELD_COMMENT_COOKIE}=${value}; Max-Age=${HELD_COMMENT_TTL_SECONDS}; Path=/; Secure; HttpOnly; SameSite=Lax`;
}

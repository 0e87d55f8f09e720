import { type ProblemError, REDIRECT_COMMENT_PARAM, toHex } from '@wp-edge/core';
import type { Accepted } from './accept.ts';

const COOKIE_LIFETIME_SECONDS = 30_000_000;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function md5Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('MD5', new TextEncoder().encode(text));
  return toHex(digest);
}

/**
 * WordPress's comment cookies, named with its COOKIEHASH (md5 of the site URL): set when the
 * commenter agreed, so the form is prefilled next time, and cleared when they did not, as
 * WordPress does.
 */
export async function commentCookies(accepted: Accepted): Promise<string[]> {
  const hash = await md5Hex(accepted.siteUrl);
  const { author, authorEmail, authorUrl } = accepted.comment;
  const maxAge = accepted.rememberMe ? COOKIE_LIFETIME_SECONDS : 0;
  return [
    [`comment_author_${hash}`, author],
    [`comment_author_email_${hash}`, authorEmail],
    [`comment_author_url_${hash}`, authorUrl],
  ].map(
    ([name, value]) =>
      `${name}=${accepted.rememberMe ? encodeURIComponent(value ?? '') : ''}; Max-Age=${maxAge}; Path=/; Secure; SameSite=Lax`,
  );
}

/**
 * Where the browser goes after posting: back to the post on the host the reader used (the
 * catalog's permalink may name a node's own address, WordPress's `home` there), at the
 * comments, with `REDIRECT_COMMENT_PARAM` (`wp_edge_comment`) naming the comment and
 * `wp_edge_status=held` when it awaits moderation.
 */
export function redirectLocation(accepted: Accepted, asked: URL): string {
  const permalink = new URL(accepted.permalink);
  const url = new URL(`${permalink.pathname}${permalink.search}`, asked.origin);
  url.searchParams.set(REDIRECT_COMMENT_PARAM, accepted.comment.id);
  if (accepted.comment.status !== 'approved') url.searchParams.set('wp_edge_status', 'held');
  url.hash = `comment-${accepted.comment.id}`;
  return url.href;
}

/** The page a refused form post gets, like WordPress's own error page, with the same status. */
export function refusalPage(problem: ProblemError): Response {
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="robots" content="noindex"><title>Comment Submission Failure</title></head>
<body id="error-page"><div class="wp-die-message"><p><strong>Error:</strong> ${escapeHtml(problem.detail)}</p></div>
<p><a href="javascript:history.back()">&laquo; Back</a></p></body></html>`;
  return new Response(html, {
    status: problem.status,
    headers: {
      ...problem.options.headers,
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    },
  });
}

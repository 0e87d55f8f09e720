import type { EdgeComment } from '@wp-edge/core';

/** Request headers never sent to Akismet: the reader's credentials, and the edge's own. */
const PRIVATE_HEADER = /^(cookie|authorization|x-wp-edge-)/i;

/** What Akismet is told about a comment besides the comment itself: the blog and the page it was posted on. */
export interface AkismetContext {
  /** The blog's home URL (WordPress's `home` option). */
  blog: string;
  permalink: string;
  blogLang?: string | undefined;
  referrer?: string | undefined;
  /** The form post's request, whose headers Akismet gets as WordPress's plugin sends `$_SERVER`'s `HTTP_*`. */
  request?: Request | undefined;
}

/**
 * The fields WordPress's Akismet plugin sends (`Akismet::auto_check_comment`): the commenter,
 * the comment, the blog and the request's headers as PHP names them (`HTTP_USER_AGENT`),
 * cookies excepted.
 */
export function akismetFields(
  comment: Pick<
    EdgeComment,
    'author' | 'authorEmail' | 'authorUrl' | 'content' | 'authorIp' | 'userAgent'
  >,
  context: AkismetContext,
): URLSearchParams {
  const fields = new URLSearchParams({
    blog: context.blog,
    user_ip: comment.authorIp,
    user_agent: comment.userAgent,
    referrer: context.referrer ?? '',
    permalink: context.permalink,
    comment_type: 'comment',
    comment_author: comment.author,
    comment_author_email: comment.authorEmail,
    comment_author_url: comment.authorUrl,
    comment_content: comment.content,
    blog_charset: 'UTF-8',
  });
  if (context.blogLang) fields.set('blog_lang', context.blogLang);
  if (context.request) {
    fields.set('REQUEST_URI', new URL(context.request.url).pathname);
    fields.set('REMOTE_ADDR', comment.authorIp);
    for (const [name, value] of context.request.headers) {
      if (!PRIVATE_HEADER.test(name))
        fields.set(`HTTP_${name.toUpperCase().replaceAll('-', '_')}`, value);
    }
  }
  return fields;
}

/** Akismet's verdict: `spam` (body `true`; `discard` when it adds `X-akismet-pro-tip: discard`), `ham` (`false`), or `unchecked`. */
export type AkismetVerdict =
  | { result: 'spam'; discard: boolean }
  | { result: 'ham' }
  | { result: 'unchecked'; reason: string };

const TIMEOUT_MS = 5_000;

async function post(
  apiUrl: string,
  call: string,
  key: string,
  fields: URLSearchParams,
): Promise<Response> {
  const body = new URLSearchParams(fields);
  body.set('api_key', key);
  return fetch(`${apiUrl.replace(/\/+$/, '')}/${call}`, {
    method: 'POST',
    body,
    headers: { 'user-agent': 'wp-edge | Akismet/1.1' },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
}

/**
 * Asks Akismet's `comment-check` (at `apiUrl`, AKISMET_API_URL) about a comment. Anything but
 * a `true` or `false` body (an error, `invalid` for a bad key, no answer) is `unchecked`,
 * never thrown: the caller holds the comment rather than lose it or approve it unchecked.
 */
export async function checkComment(
  apiUrl: string,
  key: string,
  fields: URLSearchParams,
): Promise<AkismetVerdict> {
  let response: Response;
  try {
    response = await post(apiUrl, 'comment-check', key, fields);
  } catch (error) {
    return { result: 'unchecked', reason: `Akismet could not be reached: ${String(error)}` };
  }
  const body = (await response.text()).trim();
  if (response.ok && body === 'true')
    return { result: 'spam', discard: response.headers.get('x-akismet-pro-tip') === 'discard' };
  if (response.ok && body === 'false') return { result: 'ham' };
  const help =
    response.headers.get('x-akismet-debug-help') ?? response.headers.get('x-akismet-error');
  return {
    result: 'unchecked',
    reason: `Akismet answered ${response.status} ${body.slice(0, 100)}${help ? ` (${help})` : ''}`,
  };
}

/** Tells Akismet the owner's verdict on a comment it judged otherwise (`submit-spam`, `submit-ham`); throws when it is not taken. */
export async function submitVerdict(
  apiUrl: string,
  key: string,
  verdict: 'spam' | 'ham',
  fields: URLSearchParams,
): Promise<void> {
  const response = await post(apiUrl, `submit-${verdict}`, key, fields);
  const body = await response.text();
  if (!response.ok)
    throw new Error(`Akismet refused submit-${verdict}: ${response.status} ${body.slice(0, 100)}`);
}

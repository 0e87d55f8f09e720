import { CatalogUpdate } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { answered, createBlog, storedComment } from './blog.ts';
import { receivedAt } from './received.ts';
import { AKISMET_INVALID_KEY, AKISMET_OUTAGE_KEY, AKISMET_SPAM_AUTHOR } from './stand-ins.ts';

const commentId = (response: Response) =>
  new URL(response.headers.get('location') ?? '').searchParams.get('wp_edge_comment') ?? '';

/** The stand-in's record of Akismet calls made with this key. */
const akismetCalls = (call: string, key: string, count: number) =>
  receivedAt(
    `/akismet/1.1/${call}`,
    count,
    (received) => new URLSearchParams(received.body).get('api_key') === key,
  ).then((calls) => calls.map((received) => new URLSearchParams(received.body)));

describe('Akismet at the edge', () => {
  it('sends comment-check the fields WordPress’s Akismet plugin sends, and keeps a ham comment’s status', async () => {
    const key = 'akismet-fields-key';
    const blog = await createBlog('akismet-fields', { akismetKey: key, akismetBlogLang: 'de_DE' });
    const response = await blog.form(
      {
        author: 'Ann',
        email: 'ann@example.com',
        url: 'https://ann.example',
        comment: 'Fine words',
      },
      { referer: `${blog.base}/hello-world/`, cookie: 'secret=1', 'accept-language': 'de' },
    );
    expect(await storedComment(commentId(response))).toMatchObject({ status: 'approved' });
    const [check] = await akismetCalls('comment-check', key, 1);
    expect(Object.fromEntries(check ?? [])).toMatchObject({
      api_key: key,
      blog: blog.base,
      user_ip: expect.stringMatching(/^198\.51\./),
      user_agent: expect.stringContaining('Mozilla/5.0'),
      referrer: `${blog.base}/hello-world/`,
      permalink: `${blog.base}/hello-world/`,
      comment_type: 'comment',
      comment_author: 'Ann',
      comment_author_email: 'ann@example.com',
      comment_author_url: 'https://ann.example',
      comment_content: 'Fine words',
      blog_lang: 'de_DE',
      blog_charset: 'UTF-8',
      REQUEST_URI: '/wp-comments-post.php',
      HTTP_ACCEPT_LANGUAGE: 'de',
    });
    expect(check?.has('HTTP_COOKIE')).toBe(false);
  });

  it('sends blog_lang as the primary’s WordPress locale its agent published, the way the Akismet plugin sends get_locale()', async () => {
    const key = 'akismet-locale-key';
    const blog = await createBlog('akismet-locale', { akismetKey: key });
    answered(await blog.primary.catalog({ siteUrl: blog.base, locale: 'fr_FR' }));
    await blog.form({ comment: 'Bonjour' });
    const [check] = await akismetCalls('comment-check', key, 1);
    expect(check?.get('blog_lang')).toBe('fr_FR');
  });

  it('keeps the locale when a later catalog publish names none, and prefers comments.akismetBlogLang', async () => {
    const key = 'akismet-locale-setting-key';
    const blog = await createBlog('akismet-locale-setting', {
      akismetKey: key,
      akismetBlogLang: 'de_DE',
    });
    answered(await blog.primary.catalog({ siteUrl: blog.base, locale: 'fr_FR' }));
    answered(await blog.primary.catalog({ siteUrl: blog.base }));
    await blog.form({ comment: 'Guten Tag' });
    const [check] = await akismetCalls('comment-check', key, 1);
    expect(check?.get('blog_lang')).toBe('de_DE');
  });

  it('refuses a catalog whose locale is not a WordPress locale', () => {
    expect(() => CatalogUpdate.parse({ locale: 'fr-FR; drop' })).toThrow('WordPress locale');
  });

  it('stores a comment Akismet calls spam as spam', async () => {
    const blog = await createBlog('akismet-spam', { akismetKey: 'akismet-spam-key' });
    const response = await blog.form({ author: AKISMET_SPAM_AUTHOR });
    expect(response.status).toBe(302);
    expect(await storedComment(commentId(response))).toMatchObject({ status: 'spam' });
  });

  it('stores blatant spam (X-akismet-pro-tip: discard) as spam too, never dropping a comment', async () => {
    const blog = await createBlog('akismet-discard', { akismetKey: 'akismet-discard-key' });
    const response = await blog.form({ author: AKISMET_SPAM_AUTHOR, comment: 'blatant offer' });
    expect(await storedComment(commentId(response))).toMatchObject({ status: 'spam' });
  });

  it.each([
    ['cannot be reached', AKISMET_OUTAGE_KEY],
    ['answers invalid (a bad key)', AKISMET_INVALID_KEY],
  ])('holds a comment, stored, when Akismet %s', async (_what, key) => {
    const blog = await createBlog(`akismet-down-${key.length}`, { akismetKey: key });
    const response = await blog.form({ comment: `Unchecked ${key}` });
    expect(response.status).toBe(302);
    expect(await storedComment(commentId(response))).toMatchObject({ status: 'held' });
  });

  it('sends submit-spam when the owner marks a comment spam, and submit-ham when they take one out of spam', async () => {
    const key = 'akismet-verdicts-key';
    const blog = await createBlog('akismet-verdicts', { akismetKey: key });
    const missed = commentId(await blog.form({ comment: 'Spam Akismet missed' }));
    const caught = commentId(await blog.form({ author: AKISMET_SPAM_AUTHOR, comment: 'Ham' }));
    answered(
      await blog.primary.moderation({
        changes: [
          { commentId: missed, status: 'spam' },
          { commentId: caught, status: 'approved' },
        ],
      }),
    );
    const [spam] = await akismetCalls('submit-spam', key, 1);
    const [ham] = await akismetCalls('submit-ham', key, 1);
    expect(Object.fromEntries(spam ?? [])).toMatchObject({
      blog: blog.base,
      permalink: `${blog.base}/hello-world/`,
      comment_type: 'comment',
      comment_content: 'Spam Akismet missed',
      user_ip: expect.stringMatching(/^198\.51\./),
    });
    expect(Object.fromEntries(ham ?? [])).toMatchObject({
      comment_author: AKISMET_SPAM_AUTHOR,
      comment_content: 'Ham',
    });
  });

  it('calls Akismet not at all for a site without a key', async () => {
    const blog = await createBlog('akismet-none');
    const response = await blog.form({ author: AKISMET_SPAM_AUTHOR, comment: 'No key here' });
    expect(await storedComment(commentId(response))).toMatchObject({ status: 'approved' });
    await receivedAt('/akismet/1.1/comment-check', 0, (received) =>
      received.body.includes('No+key+here'),
    );
  });
});

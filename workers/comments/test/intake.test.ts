import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { BROWSER, createBlog, storedComment } from './blog.ts';

const detail = async (response: Response) => ((await response.json()) as { detail: string }).detail;

describe('the WordPress comment form', () => {
  it('sends the reader back to the post on the host they used, whatever host WordPress’s home names', async () => {
    const blog = await createBlog('form-home');
    await blog.primary.catalog({
      posts: [
        {
          id: 1,
          status: 'publish',
          commentStatus: 'open',
          permalink: 'http://127.0.0.2:8080/hello-world/?lang=en',
        },
      ],
    });
    const location = new URL((await blog.form({})).headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}${location.search.split('&')[0]}`).toBe(
      'https://form-home.example/hello-world/?lang=en',
    );
  });

  it('stores the comment with the commenter’s address and browser, and sends them back to the post', async () => {
    const blog = await createBlog('form');
    const response = await blog.form(
      { comment: 'Great post!' },
      { 'cf-connecting-ip': '203.0.113.5' },
    );
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe('https://form.example/hello-world/');
    const id = location.searchParams.get('wp_edge_comment') ?? '';
    expect(location.hash).toBe(`#comment-${id}`);
    expect(location.searchParams.get('wp_edge_status')).toBeNull();
    expect(await storedComment(id)).toMatchObject({
      post_id: 1,
      author: 'Ann',
      author_email: 'ann@example.com',
      content: 'Great post!',
      author_ip: '203.0.113.5',
      user_agent: BROWSER,
      status: 'approved',
    });
  });

  it('marks the way back when the comment awaits moderation', async () => {
    const blog = await createBlog('form-held', { moderation: 'hold-all' });
    const location = new URL((await blog.form({})).headers.get('location') ?? '');
    expect(location.searchParams.get('wp_edge_status')).toBe('held');
  });

  it('ignores fields WordPress’s form sends that the edge does not need', async () => {
    const blog = await createBlog('form-extra');
    const response = await blog.form({
      submit: 'Post Comment',
      _wp_unfiltered_html_comment: 'x',
      akismet_comment_nonce: 'y',
    });
    expect(response.status).toBe(302);
  });

  it('sets WordPress’s comment cookies when the commenter agrees, and clears them when not', async () => {
    const blog = await createBlog('cookies');
    const withConsent = await blog.form({
      author: 'Ann Lee',
      url: 'https://ann.example',
      'wp-comment-cookies-consent': 'yes',
    });
    const cookies = withConsent.headers.getSetCookie();
    // COOKIEHASH is md5 of the site URL the primary published: md5('https://cookies.example').
    const hash = '198197259515a34523e0fba0e9b24617';
    expect(cookies.map((cookie) => cookie.split(';')[0])).toEqual([
      `comment_author_${hash}=Ann%20Lee`,
      `comment_author_email_${hash}=ann%40example.com`,
      `comment_author_url_${hash}=https%3A%2F%2Fann.example`,
    ]);
    const without = await blog.form({});
    expect(without.headers.getSetCookie().map((cookie) => cookie.split(';', 2).join(';'))).toEqual([
      `comment_author_${hash}=; Max-Age=0`,
      `comment_author_email_${hash}=; Max-Age=0`,
      `comment_author_url_${hash}=; Max-Age=0`,
    ]);
  });

  it('shows a WordPress-style error page with the reason when it refuses', async () => {
    const blog = await createBlog('form-refused');
    const response = await blog.form({ comment_post_ID: '2' });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain(
      '<strong>Error:</strong> Sorry, comments are closed for this item.',
    );
  });
});

describe('the JSON API', () => {
  it('answers 201 with the new comment’s id and status', async () => {
    const blog = await createBlog('api');
    const response = await blog.api({ content: 'Via the API' });
    expect(response.status).toBe(201);
    const answer = (await response.json()) as { id: string; status: string };
    expect(answer).toMatchObject({ status: 'approved', postId: 1 });
    expect(await storedComment(answer.id)).toMatchObject({ content: 'Via the API' });
  });

  it('answers a refusal as problem+json', async () => {
    const blog = await createBlog('api-refused');
    const response = await blog.api({ postId: 99 });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await detail(response)).toBe('Sorry, that post could not be found.');
  });

  it('answers a body that is not a comment with a 400 naming the field', async () => {
    const blog = await createBlog('api-bad');
    const response = await blog.api({ postId: 'one' });
    expect(response.status).toBe(400);
    expect(await detail(response)).toContain('postId');
  });
});

describe('WordPress’s rules', () => {
  it.each([
    ['a name over 245 characters', { author: 'a'.repeat(246) }, 400, 'Your name is too long.'],
    [
      'a name over 245 bytes, though of fewer characters',
      { author: 'é'.repeat(123) },
      400,
      'Your name is too long.',
    ],
    [
      'a URL over 200 bytes, though of fewer characters',
      { url: `https://a.example/${'é'.repeat(92)}` },
      400,
      'Your URL is too long.',
    ],
    [
      'an email over 100 characters',
      { email: `${'a'.repeat(95)}@example.com` },
      400,
      'Your email address is too long.',
    ],
    [
      'a URL over 200 characters',
      { url: `https://a.example/${'a'.repeat(190)}` },
      400,
      'Your URL is too long.',
    ],
    [
      'a comment over 65,525 bytes',
      { comment: 'é'.repeat(32_763) },
      400,
      'Your comment is too long.',
    ],
    ['an empty comment', { comment: '   ' }, 400, 'Please type your comment text.'],
    ['no name', { author: '' }, 400, 'Please fill the required fields (name, email).'],
    ['no email', { email: '' }, 400, 'Please fill the required fields (name, email).'],
    ['an invalid email', { email: 'ann-at-example' }, 400, 'Please enter a valid email address.'],
    [
      'a post that does not exist',
      { comment_post_ID: '99' },
      404,
      'Sorry, that post could not be found.',
    ],
    ['a post not given', { comment_post_ID: 'x' }, 400, 'Sorry, that post could not be found.'],
    [
      'a post with comments closed',
      { comment_post_ID: '2' },
      403,
      'Sorry, comments are closed for this item.',
    ],
    [
      'a post not published',
      { comment_post_ID: '3' },
      403,
      'Sorry, comments are not allowed on this item.',
    ],
    [
      'a password-protected post without its password',
      { comment_post_ID: '4' },
      403,
      'This post is password protected. Enter its password on the post to comment.',
    ],
    [
      'a parent on another post',
      { comment_parent: '11' },
      400,
      'The comment you are replying to does not exist on this post.',
    ],
    [
      'a parent marked as spam',
      { comment_parent: '12' },
      400,
      'The comment you are replying to does not exist on this post.',
    ],
    [
      'a parent awaiting moderation',
      { comment_parent: '13' },
      403,
      'Sorry, replies to unapproved comments are not allowed.',
    ],
    [
      'a parent that does not exist',
      { comment_parent: '999' },
      400,
      'The comment you are replying to does not exist on this post.',
    ],
  ])('refuse %s', async (what, fields, status, message) => {
    const blog = await createBlog(`rule-${what.replace(/[^a-z0-9]+/g, '-')}`);
    const response = await blog.form(fields);
    expect(response.status).toBe(status);
    expect(await response.text()).toContain(message.replace('’', '&#8217;').replace("'", '&#39;'));
  });

  it('accept a name of exactly 245 bytes and a comment of exactly 65,525 bytes', async () => {
    const blog = await createBlog('rule-limits');
    expect((await blog.form({ author: `${'é'.repeat(122)}a` })).status).toBe(302);
    expect((await blog.form({ comment: `${'é'.repeat(32_762)}a` })).status).toBe(302);
  });

  it('hold a comment on a password-protected post from a reader who entered its password', async () => {
    const blog = await createBlog('rule-password');
    const response = await blog.form(
      { comment_post_ID: '4' },
      { cookie: 'wp-postpass_7f3a1c0e9b2d4a5f=%24P%24Bxyz' },
    );
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.pathname).toBe('/members/');
    expect(location.searchParams.get('wp_edge_status')).toBe('held');
  });

  it('accept a reply to an approved comment of the same post', async () => {
    const blog = await createBlog('rule-reply');
    const response = await blog.form({ comment_parent: '10' });
    expect(response.status).toBe(302);
    const id =
      new URL(response.headers.get('location') ?? '').searchParams.get('wp_edge_comment') ?? '';
    expect(await storedComment(id)).toMatchObject({ parent_wp_id: 10 });
  });

  it('accept a comment without name and email when the site does not ask for them', async () => {
    const blog = await createBlog('rule-anonymous', { requireNameEmail: false });
    expect((await blog.form({ author: '', email: '' })).status).toBe(302);
  });

  it('refuse the same comment twice with 409', async () => {
    const blog = await createBlog('rule-duplicate');
    expect((await blog.form({ comment: 'Same words' })).status).toBe(302);
    const again = await blog.form({ comment: 'Same words' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Duplicate comment detected');
  });

  it('accept only one of the same comment posted twice at once (a double click)', async () => {
    const blog = await createBlog('rule-double-click');
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => blog.form({ comment: 'Clicked twice' })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([302, 409, 409, 409]);
    const stored = await env.DB.prepare(
      "SELECT count(*) AS n FROM comments WHERE site_id = 'rule-double-click'",
    ).first();
    expect(stored).toEqual({ n: 1 });
  });

  it('accept a comment again once the owner has trashed the first', async () => {
    const blog = await createBlog('rule-duplicate-trashed');
    const first = await blog.form({ comment: 'Second chance' });
    const id = new URL(first.headers.get('location') ?? '').searchParams.get('wp_edge_comment');
    await blog.primary.moderation({
      changes: [{ commentId: id ?? '', status: 'trash' }],
    });
    expect((await blog.form({ comment: 'Second chance' })).status).toBe(302);
  });

  it('refuse a second comment from one address within the flood interval with 429', async () => {
    const blog = await createBlog('rule-flood');
    const address = { 'cf-connecting-ip': '192.0.2.44' };
    expect((await blog.form({}, address)).status).toBe(302);
    const again = await blog.form({}, address);
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await again.text()).toContain('You are posting comments too quickly. Slow down.');
  });

  it('accept exactly one of ten comments posted at once from one address within the flood interval', async () => {
    const blog = await createBlog('rule-flood-race');
    const address = { 'cf-connecting-ip': '192.0.2.47' };
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => blog.form({ comment: `At once ${i}` }, address)),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([302, ...Array(9).fill(429)]);
    const stored = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM comments WHERE site_id = 'rule-flood-race') AS comments, (SELECT count(*) FROM comment_log WHERE site_id = 'rule-flood-race') AS logged",
    ).first();
    expect(stored).toEqual({ comments: 1, logged: 1 });
  });

  it('accept no more comments posted at once from one address than the rate limit allows', async () => {
    const blog = await createBlog('rule-rate-race', { floodIntervalSeconds: 0, rateLimitCount: 3 });
    const address = { 'cf-connecting-ip': '192.0.2.48' };
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => blog.form({ comment: `At once ${i}` }, address)),
    );
    expect(answers.filter((answer) => answer.status === 302)).toHaveLength(3);
    const stored = await env.DB.prepare(
      "SELECT count(*) AS n FROM comments WHERE site_id = 'rule-rate-race'",
    ).first();
    expect(stored).toEqual({ n: 3 });
  });

  it('count every address of one IPv6 /64 as one address for the flood interval', async () => {
    const blog = await createBlog('rule-flood-v6');
    expect((await blog.form({}, { 'cf-connecting-ip': '2001:db8:7:8::1' })).status).toBe(302);
    const sameNetwork = await blog.form({}, { 'cf-connecting-ip': '2001:db8:7:8:a:b:c:d' });
    expect(sameNetwork.status).toBe(429);
    expect((await blog.form({}, { 'cf-connecting-ip': '2001:db8:7:9::1' })).status).toBe(302);
  });

  it('let one address comment again at once when the site turns the flood check off', async () => {
    const blog = await createBlog('rule-no-flood', { floodIntervalSeconds: 0 });
    const address = { 'cf-connecting-ip': '192.0.2.45' };
    expect((await blog.form({}, address)).status).toBe(302);
    expect((await blog.form({}, address)).status).toBe(302);
  });

  it('refuse more comments from one address than the site’s rate limit allows', async () => {
    const blog = await createBlog('rule-rate', { floodIntervalSeconds: 0, rateLimitCount: 2 });
    const address = { 'cf-connecting-ip': '192.0.2.46' };
    expect((await blog.form({}, address)).status).toBe(302);
    expect((await blog.form({}, address)).status).toBe(302);
    const third = await blog.form({}, address);
    expect(third.status).toBe(429);
    expect(await third.text()).toContain('You have posted too many comments for now.');
  });
});

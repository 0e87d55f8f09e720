import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createBlog, storedComment } from './blog.ts';
import { OUTAGE_SECRET, WIDGET_SECRET } from './stand-ins.ts';

const PASS = '1x0000000000000000000000000000000AA';
const FAIL = '2x0000000000000000000000000000000AA';
const SPENT = '3x0000000000000000000000000000000AA';

const commentId = (response: Response) =>
  new URL(response.headers.get('location') ?? '').searchParams.get('wp_edge_comment') ?? '';

describe('spam defences', () => {
  it('marks a comment that fills the honeypot as spam, answering like any held comment', async () => {
    const blog = await createBlog('honeypot', { honeypotField: 'website_url' });
    const response = await blog.form({ website_url: 'http://spam.example' });
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location') ?? '').searchParams.get('wp_edge_status')).toBe(
      'held',
    );
    expect(await storedComment(commentId(response))).toMatchObject({ status: 'spam' });
  });

  it('holds a comment with more links than the site allows', async () => {
    const blog = await createBlog('links', { maxLinks: 1 });
    const one = await blog.form({ comment: 'see https://a.example' });
    const two = await blog.form({ comment: 'see https://a.example and https://b.example' });
    expect(await storedComment(commentId(one))).toMatchObject({ status: 'approved' });
    expect(await storedComment(commentId(two))).toMatchObject({ status: 'held' });
  });

  it('holds every comment when the site says so', async () => {
    const blog = await createBlog('hold-all', { moderation: 'hold-all' });
    expect(await storedComment(commentId(await blog.form({})))).toMatchObject({ status: 'held' });
  });

  it('holds a first-time author and approves one the owner approved before', async () => {
    const blog = await createBlog('returning', { moderation: 'approve-returning' });
    const first = commentId(await blog.form({ author: 'Bea', email: 'bea@example.com' }));
    expect(await storedComment(first)).toMatchObject({ status: 'held' });
    await blog.primary.moderation({
      changes: [{ commentId: first, status: 'approved' }],
    });
    const second = commentId(await blog.form({ author: 'Bea', email: 'bea@example.com' }));
    expect(await storedComment(second)).toMatchObject({ status: 'approved' });
  });

  describe('Turnstile', () => {
    it('accepts a comment whose token siteverify accepts', async () => {
      const blog = await createBlog('turnstile-pass', { turnstileSecret: PASS });
      expect((await blog.form({ 'cf-turnstile-response': 'token' })).status).toBe(302);
    });

    it.each([
      ['a token siteverify rejects', FAIL, 'token', 'Please complete the check that you are human'],
      ['a token already spent', SPENT, 'token', 'has expired or was already used'],
      ['no token', PASS, '', 'Please complete the check that you are human'],
    ])('refuses %s with 403 and stores nothing', async (_what, secret, token, message) => {
      const blog = await createBlog(`turnstile-${secret.slice(0, 1)}-${token.length}`, {
        turnstileSecret: secret,
      });
      const response = await blog.form({ 'cf-turnstile-response': token, comment: 'Not stored' });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain(message);
      const stored = await env.DB.prepare('SELECT count(*) AS n FROM comments WHERE site_id = ?')
        .bind(blog.host.split('.')[0])
        .first();
      expect(stored).toEqual({ n: 0 });
    });

    it.each([
      ['solved on one of the site’s hosts', 302, 'turnstile-own', 'turnstile-own.example|', {}],
      ['solved on another site’s page', 403, 'turnstile-other', 'elsewhere.example|', {}],
      [
        'solved for the widget action the site expects',
        302,
        'turnstile-action',
        'turnstile-action.example|comment',
        { turnstileAction: 'comment' },
      ],
      [
        'solved for another widget’s action',
        403,
        'turnstile-wrong-action',
        'turnstile-wrong-action.example|login',
        { turnstileAction: 'comment' },
      ],
    ])('answers a token %s with %i', async (_what, status, siteId, token, settings) => {
      const blog = await createBlog(siteId, { turnstileSecret: WIDGET_SECRET, ...settings });
      const response = await blog.form({ 'cf-turnstile-response': token });
      expect(response.status).toBe(status);
      const stored = await env.DB.prepare('SELECT count(*) AS n FROM comments WHERE site_id = ?')
        .bind(siteId)
        .first<{ n: number }>();
      expect(stored?.n).toBe(status === 302 ? 1 : 0);
    });

    it('answers a form with a page that says to try again when siteverify cannot be reached', async () => {
      const blog = await createBlog('turnstile-outage', { turnstileSecret: OUTAGE_SECRET });
      const response = await blog.form({ 'cf-turnstile-response': 'token' });
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).toContain(
        'The check that you are human cannot be run just now. Please try again in a minute.',
      );
    });
  });
});

import { env } from 'cloudflare:workers';
import { HELD_COMMENT_COOKIE, HeldComment, type SiteSnapshot } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { MAX_HELD_COOKIE_VALUE_BYTES } from '../src/intake/held-comment-cookie.ts';
import { createBlog } from './blog.ts';

const SECRET = 'the-site-origin-secret-0123456789abcdef';

async function blogWithSecret(id: string, secret: string | undefined, comments = {}) {
  const blog = await createBlog(id, comments);
  const key = `host:${blog.host}`;
  const site = JSON.parse((await env.SITE_CONFIG.get(key)) ?? '{}') as SiteSnapshot;
  await env.SITE_CONFIG.put(key, JSON.stringify({ ...site, originSecret: secret }));
  return blog;
}

function heldCookie(response: Response): string | undefined {
  return response.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith(`${HELD_COMMENT_COOKIE}=`));
}

const fromBase64url = (text: string) =>
  Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0));

/** What the WordPress plugin does with the cookie: check the HMAC, then read the comment. */
async function verify(cookie: string, secret: string): Promise<HeldComment | undefined> {
  const [payload = '', mac = ''] = cookie.split(';')[0]?.split('=')[1]?.split('.') ?? [];
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  const valid = await crypto.subtle.verify(
    'HMAC',
    key,
    fromBase64url(mac),
    new TextEncoder().encode(payload),
  );
  return valid
    ? HeldComment.parse(JSON.parse(new TextDecoder().decode(fromBase64url(payload))))
    : undefined;
}

describe('the held-comment cookie', () => {
  it('carries a held comment to its author, signed with the site’s origin secret, for 10 minutes', async () => {
    const blog = await blogWithSecret('held-cookie', SECRET, { moderation: 'hold-all' });
    const response = await blog.form({ comment: 'Wait for me', url: 'https://ann.example' });
    const id = new URL(response.headers.get('location') ?? '').searchParams.get('wp_edge_comment');
    const cookie = heldCookie(response) ?? '';
    expect(cookie).toMatch(/; Max-Age=600; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
    const held = await verify(cookie, SECRET);
    expect(held).toMatchObject({
      id,
      postId: 1,
      author: 'Ann',
      authorUrl: 'https://ann.example',
      content: 'Wait for me',
    });
    expect(held?.expires).toBeGreaterThan(Date.now() / 1000 + 590);
    expect(JSON.stringify(held)).not.toContain('ann@example.com');
  });

  it('does not verify with another secret', async () => {
    const blog = await blogWithSecret('held-cookie-other', SECRET, { moderation: 'hold-all' });
    const cookie = heldCookie(await blog.form({})) ?? '';
    expect(await verify(cookie, SECRET)).toBeDefined();
    expect(await verify(cookie, `${SECRET}x`)).toBeUndefined();
  });

  it('is not set for an approved comment', async () => {
    const blog = await blogWithSecret('held-cookie-approved', SECRET);
    expect(heldCookie(await blog.form({}))).toBeUndefined();
  });

  it('is not set on a site without an origin secret', async () => {
    const blog = await blogWithSecret('held-cookie-nosecret', undefined, {
      moderation: 'hold-all',
    });
    expect(heldCookie(await blog.form({}))).toBeUndefined();
  });

  it('cuts a comment too long for a cookie, and says so with "…"', async () => {
    const blog = await blogWithSecret('held-cookie-long', SECRET, { moderation: 'hold-all' });
    const cookie = heldCookie(await blog.form({ comment: 'ä'.repeat(5000) })) ?? '';
    expect(cookie.split(';')[0]?.length).toBeLessThanOrEqual(
      HELD_COMMENT_COOKIE.length + 1 + MAX_HELD_COOKIE_VALUE_BYTES,
    );
    const held = await verify(cookie, SECRET);
    expect(held?.content).toMatch(/^ä{500,}…$/);
  });
});

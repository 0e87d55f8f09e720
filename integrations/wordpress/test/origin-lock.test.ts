import { ORIGIN_SECRET_HEADER } from '@wp-edge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWordPressSite, type WordPressSite } from './support/wordpress-site.ts';

const SECRET = 'origin-secret-0123456789abcdef0123456789abcdef';
let locked: WordPressSite;
let unlocked: WordPressSite;

beforeAll(async () => {
  [locked, unlocked] = await Promise.all([
    startWordPressSite({
      address: '127.0.0.100',
      constants: { WP_EDGE_ORIGIN_SECRET: SECRET, WP_EDGE_HEALTH_PATH: '/wp-edge-health' },
    }),
    startWordPressSite({
      address: '127.0.0.106',
      constants: { WP_EDGE_ORIGIN_SECRET: SECRET, WP_EDGE_ORIGIN_LOCK: false },
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([locked?.stop(), unlocked?.stop()]);
});

const get = (site: WordPressSite, path: string, headers: Record<string, string> = {}) =>
  fetch(`${site.url}${path}`, { headers, redirect: 'manual' });

describe('the origin lock', () => {
  it('refuses a direct request without the origin secret with 403', async () => {
    const answer = await get(locked, '/?p=1');
    expect(answer.status).toBe(403);
    expect(await answer.text()).not.toContain('Hello world');
  });

  it('refuses a wrong secret, and one that only starts like the right one', async () => {
    for (const wrong of ['nope', SECRET.slice(0, -1), `${SECRET}x`]) {
      expect((await get(locked, '/?p=1', { [ORIGIN_SECRET_HEADER]: wrong })).status).toBe(403);
    }
  });

  it('serves the edge’s request, which carries the secret', async () => {
    const answer = await get(locked, '/?p=1', { [ORIGIN_SECRET_HEADER]: SECRET });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('Hello world');
  });

  it('locks the admin, the login and the comment form too', async () => {
    for (const path of ['/wp-login.php', '/wp-admin/', '/xmlrpc.php']) {
      expect((await get(locked, path)).status, path).toBe(403);
    }
    const comment = await fetch(`${locked.url}/wp-comments-post.php`, {
      method: 'POST',
      body: new URLSearchParams({
        comment_post_ID: '1',
        author: 'Ann',
        email: 'ann@example.com',
        comment: 'Hi',
      }),
    });
    expect(comment.status).toBe(403);
    expect(await locked.cli('echo get_comments(["count" => true, "post_id" => 1]);')).toBe('1');
  });

  it('answers the health path without the secret, but only that exact URI', async () => {
    // WordPress answers it as it likes (a 404, or a redirect to a guessed post): not the lock's 403.
    expect((await get(locked, '/wp-edge-health')).status).not.toBe(403);
    expect((await get(locked, '/wp-edge-health?p=1')).status).toBe(403);
    expect((await get(locked, '/wp-edge-health/')).status).toBe(403);
  });

  it('lets WordPress’s own cron run from the machine itself', async () => {
    expect((await get(locked, '/wp-cron.php')).status).toBe(200);
  });

  it('adds the secret to WordPress’s own request that spawns cron, so it passes wherever it goes', async () => {
    const request = await locked.cli(
      `echo json_encode(apply_filters('cron_request', ['url' => site_url('wp-cron.php'), 'key' => 'k', 'args' => []], 'k'));`,
    );
    expect(JSON.parse(request).args.headers).toEqual({ [ORIGIN_SECRET_HEADER]: SECRET });
  });

  it('lets the CLI load WordPress', async () => {
    expect(await locked.cli('echo get_option("blogname");')).toBe('Plugin test');
  });

  it('is off when WP_EDGE_ORIGIN_LOCK is false, for a migration window', async () => {
    expect((await get(unlocked, '/?p=1')).status).toBe(200);
  });
});

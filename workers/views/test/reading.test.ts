import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { rollupOf, settle } from '../src/counting/shards.ts';
import { SHARD_COUNT } from '../src/counting/visitor.ts';
import { everyRowOf } from './stored-counts.ts';
import { siteFor } from './views-client.ts';

async function viewMany(site: Awaited<ReturnType<typeof siteFor>>, postId: number, times: number) {
  for (let i = 0; i < times; i++)
    await site.view({ postId }, { 'cf-connecting-ip': `192.0.2.${i}` });
}

describe('reading counts', () => {
  it('answers a batch of posts, with zeros for posts never viewed', async () => {
    const site = await siteFor('batch');
    await viewMany(site, 1, 2);
    await viewMany(site, 2, 1);
    const { posts } = await site.counts('posts=1,2,3');
    expect(posts).toEqual({
      1: { views: 2, visitors: 2 },
      2: { views: 1, visitors: 1 },
      3: { views: 0, visitors: 0 },
    });
  });

  it('lists the most viewed posts of the last days, most first', async () => {
    const site = await siteFor('top');
    await viewMany(site, 10, 1);
    await viewMany(site, 11, 3);
    await viewMany(site, 12, 2);
    const top = await (await site.get('/top?days=7&limit=2')).json();
    expect(top).toEqual({
      days: 7,
      posts: [
        { postId: 11, views: 3 },
        { postId: 12, views: 2 },
      ],
    });
  });

  it('gives the site’s views and visitors today and in all', async () => {
    const site = await siteFor('totals');
    await viewMany(site, 1, 2);
    await site.view({ path: '/contact/' }, { 'cf-connecting-ip': '192.0.2.0' });
    expect(await (await site.get('/site')).json()).toEqual({
      today: { views: 3, visitors: 2 },
      allTime: { views: 3, visitors: 2 },
    });
  });

  it('lets browsers and the edge cache reads for a few seconds', async () => {
    const site = await siteFor('cached');
    for (const path of ['?posts=1', '/top', '/site']) {
      expect((await site.get(path)).headers.get('cache-control')).toBe('public, max-age=5');
    }
  });

  it('answers a preflight from the site’s own pages and refuses one from elsewhere', async () => {
    const site = await siteFor('cors');
    const own = await exports.default.fetch(site.base, {
      method: 'OPTIONS',
      headers: { origin: `https://${site.host}` },
    });
    expect(own.status).toBe(204);
    expect(own.headers.get('access-control-allow-origin')).toBe(`https://${site.host}`);
    const other = await exports.default.fetch(site.base, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    expect(other.status).toBe(403);
    const read = await site.get('?posts=1', { origin: 'https://evil.example' });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps no IP address, only daily visitor hashes', async () => {
    const site = await siteFor('private');
    await site.view({ postId: 1 }, { 'cf-connecting-ip': '203.0.113.77' });
    await settle(env, 'private');
    const dumps = await Promise.all([
      ...Array.from({ length: SHARD_COUNT }, (_, shard) =>
        everyRowOf(env.VIEW_SHARDS.get(env.VIEW_SHARDS.idFromName(`private:${shard}`))),
      ),
      everyRowOf(rollupOf(env, 'private')),
    ]);
    const everything = dumps.join('\n');
    expect(everything).toContain('post:1');
    expect(everything).not.toContain('203.0.113.77');
    expect(everything).toMatch(/[0-9a-f]{64}/);
  });
});

describe('refusing bad requests', () => {
  it.each([
    ['?posts=1,abc', 'post ids must be positive whole numbers'],
    ['?posts=0', 'post ids must be positive whole numbers'],
    [
      `?posts=${Array.from({ length: 101 }, (_, i) => i + 1).join(',')}`,
      'ask for at most 100 posts at a time',
    ],
    ['', 'ask for ?posts=1,2,3 (post ids) or ?paths=/a/,/b/'],
    ['?paths=about', 'path must start with /'],
    ['/top?days=0', 'days must be between 1 and 90'],
    ['/top?limit=500', 'limit must be between 1 and 100'],
  ])('answers GET %s with a 400 saying “%s”', async (path, message) => {
    const site = await siteFor('bad-reads');
    const response = await site.get(path);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((await response.json()) as { detail: string }).detail).toContain(message);
  });

  it.each([
    ['not JSON', 'postId=1', 400, 'the beacon body must be JSON'],
    [
      'neither post nor path',
      {},
      400,
      'send a postId (a positive whole number) or a path starting with /',
    ],
    ['a post id that is not a number', { postId: 'x' }, 400, 'post ids must be whole numbers'],
    ['a huge body', { path: `/${'a'.repeat(5000)}` }, 413, 'a beacon must be at most 1024 bytes'],
  ])('answers a beacon with %s with a clear %s', async (_what, body, status, message) => {
    const site = await siteFor('bad-beacons');
    const response = await site.view(body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { detail: string }).detail).toContain(message);
  });

  it('answers 404 for a host no site claims', async () => {
    const response = await exports.default.fetch('https://nobody.example/api/views?posts=1');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { detail: string }).detail).toBe(
      'no site is configured for host nobody.example; add one with: npx wp-edge sites add',
    );
  });

  it('answers the pixel without a post or path with a 400', async () => {
    const site = await siteFor('bad-pixel');
    const response = await site.get('/pixel.gif');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toContain(
      'add ?post=ID or ?path=/page/',
    );
  });
});

describe('client script', () => {
  it('is served as JavaScript, under 2 KB', async () => {
    const response = await exports.default.fetch('https://any.example/api/views/client.js');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await response.arrayBuffer()).byteLength).toBeLessThan(2048);
  });
});

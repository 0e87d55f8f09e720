import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { rollupOf } from '../src/counting/shards.ts';
import { storedPages } from './stored-counts.ts';
import { BROWSER, publishCatalog, siteFor } from './views-client.ts';

const outcome = async (response: Response) => ({
  status: response.status,
  body: (await response.json()) as Record<string, unknown>,
});

describe('views that would inflate the counts', () => {
  it('counts a visitor’s repeat views of one page within the window once', async () => {
    const site = await siteFor('reloads');
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await outcome(await site.view({ postId: 1 })));
    expect(answers[0]).toEqual({ status: 202, body: { counted: true } });
    expect(answers.slice(1)).toEqual(
      Array(4).fill({ status: 202, body: { counted: false, reason: 'repeat' } }),
    );
    expect((await storedPages('reloads'))['post:1']).toEqual({
      page: 'post:1',
      views: 1,
      visitors: 1,
    });
  });

  it('counts the visitor again once the window has passed, still as one visitor', async () => {
    const shard = env.VIEW_SHARDS.get(env.VIEW_SHARDS.idFromName('window:0'));
    const start = Date.parse(`${new Date().toISOString().slice(0, 10)}T01:00:00Z`);
    const rules = { windowMs: 30 * 60_000 };
    const visitor = 'a'.repeat(64);
    expect(await shard.recordView('post:1', visitor, start, rules)).toBe('counted');
    expect(await shard.recordView('post:1', visitor, start + 29 * 60_000, rules)).toBe('repeat');
    expect(await shard.recordView('post:1', visitor, start + 31 * 60_000, rules)).toBe('counted');
    expect(await shard.recordView('post:1', visitor, start + 40 * 60_000, rules)).toBe('repeat');
    await shard.flush();
    await expect(rollupOf(env, 'window').countsOf(['post:1'])).resolves.toEqual({
      'post:1': { views: 2, visitors: 1 },
    });
  });

  it('refuses a post the published catalog does not know, and stores nothing for it', async () => {
    await publishCatalog('catalogued', [1]);
    const site = await siteFor('catalogued');
    const unknown = await site.view({ postId: 2 });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { detail: string }).detail).toBe(
      'post 2 is not a published post of this site',
    );
    expect((await site.get('/pixel.gif?post=3', { 'user-agent': BROWSER })).status).toBe(404);
    expect(await outcome(await site.view({ postId: 1 }))).toEqual({
      status: 202,
      body: { counted: true },
    });
    expect(Object.keys(await storedPages('catalogued')).sort()).toEqual(['', 'post:1']);
  });

  it('keeps at most views.maxPaths paths in a shard, and goes on counting those it keeps', async () => {
    const site = await siteFor('paths-cap', { views: { maxPaths: 3, windowMinutes: 0 } });
    const answers = [];
    for (let i = 0; i < 5; i++)
      answers.push((await outcome(await site.view({ path: `/p${i}/` }))).body);
    expect(answers).toEqual([
      { counted: true },
      { counted: true },
      { counted: true },
      { counted: false, reason: 'too-many-paths' },
      { counted: false, reason: 'too-many-paths' },
    ]);
    expect((await outcome(await site.view({ path: '/p0/' }))).body).toEqual({ counted: true });
    expect(Object.keys(await storedPages('paths-cap')).sort()).toEqual([
      '',
      '/p0/',
      '/p1/',
      '/p2/',
    ]);
  });

  it('keeps no more post ids than views.maxPaths in a shard while no catalog is published', async () => {
    const site = await siteFor('no-catalog', { views: { maxPaths: 2 } });
    for (let postId = 1; postId <= 4; postId++) await site.view({ postId });
    expect(Object.keys(await storedPages('no-catalog')).sort()).toEqual(['', 'post:1', 'post:2']);
  });

  it('limits views per address a minute, counting an IPv6 /64 as one address', async () => {
    const site = await siteFor('flooded');
    for (let i = 0; i < 100; i++) {
      const response = await site.view(
        { postId: 1 },
        { 'cf-connecting-ip': `2001:db8:1:2::${i.toString(16)}`, 'user-agent': `${BROWSER} ${i}` },
      );
      expect(response.status).toBe(202);
    }
    const refused = await site.view(
      { postId: 1 },
      { 'cf-connecting-ip': '2001:db8:1:2:ffff::1', 'user-agent': `${BROWSER} more` },
    );
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    const elsewhere = await site.view({ postId: 1 }, { 'cf-connecting-ip': '2001:db8:1:3::1' });
    expect(await elsewhere.json()).toEqual({ counted: true });
    expect((await storedPages('flooded'))['post:1']?.views).toBe(101);
  });
});

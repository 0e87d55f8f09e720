import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { settle, shardOf, wipeSite } from '../src/counting/shards.ts';
import { SHARD_COUNT, SHARDS_EVER } from '../src/counting/visitor.ts';
import { storedPages } from './stored-counts.ts';
import { BROWSER, siteFor } from './views-client.ts';

const VISITOR = 'c'.repeat(64);

describe('a site counted over 16 shards before SHARD_COUNT was 4', () => {
  it('keeps the counts its former shards hold, and goes on counting on the new ones', async () => {
    const former = shardOf(env, 'upgraded', SHARDS_EVER - 1);
    expect(SHARDS_EVER - 1).toBeGreaterThanOrEqual(SHARD_COUNT);
    await former.recordView('post:1', VISITOR, Date.now(), { windowMs: 0 });
    await former.recordView('post:1', VISITOR, Date.now(), { windowMs: 0 });
    const site = await siteFor('upgraded', { views: { windowMinutes: 0 } });
    expect(await (await site.view({ postId: 1 }, { 'user-agent': BROWSER })).json()).toEqual({
      counted: true,
    });
    await settle(env, 'upgraded');
    expect((await storedPages('upgraded'))['post:1']).toEqual({
      page: 'post:1',
      views: 3,
      visitors: 2,
    });
    const left = await wipeSite(env, 'upgraded');
    expect(left).toHaveLength(SHARDS_EVER + 1);
    expect(left.flatMap((rows) => Object.values(rows)).filter((n) => n > 0)).toEqual([]);
  });
});

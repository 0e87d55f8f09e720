import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { rollupOf } from '../src/counting/shards.ts';

const visitor = (i: number) => i.toString(16).padStart(64, '0');

describe('views that reach one shard at once', () => {
  it('are written together and counted exactly: 2,000 concurrent views of one post', async () => {
    const shard = env.VIEW_SHARDS.get(env.VIEW_SHARDS.idFromName('hot-post:0'));
    const now = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: 2_000 }, (_, i) =>
        shard.recordView('post:1', visitor(i), now, { windowMs: 0 }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === 'counted')).toHaveLength(2_000);
    await shard.flush();
    await expect(rollupOf(env, 'hot-post').countsOf(['post:1', ''])).resolves.toEqual({
      'post:1': { views: 2_000, visitors: 2_000 },
      '': { views: 2_000, visitors: 2_000 },
    });
  });

  it('count one visitor’s views within the window once, even when they arrive together', async () => {
    const shard = env.VIEW_SHARDS.get(env.VIEW_SHARDS.idFromName('hot-reloads:0'));
    const now = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () =>
        shard.recordView('post:1', visitor(1), now, { windowMs: 30 * 60_000 }),
      ),
    );
    expect(outcomes.sort()).toEqual(['counted', ...Array(49).fill('repeat')]);
    await shard.flush();
    await expect(rollupOf(env, 'hot-reloads').countsOf(['post:1'])).resolves.toEqual({
      'post:1': { views: 1, visitors: 1 },
    });
  });
});

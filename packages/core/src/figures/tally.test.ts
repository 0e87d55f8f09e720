import { describe, expect, it } from 'vitest';
import { FigureTally } from './tally.ts';

describe('the in-isolate tally of edge figures', () => {
  it('adds up events per site, minute and name, and says a batch is due after 10 s', () => {
    const start = 60_000 * 1000;
    const tally = new FigureTally(start);
    expect(tally.count('blog', 'cache.hit', 1, start)).toBe(false);
    expect(tally.count('blog', 'cache.hit', 2, start + 1_000)).toBe(false);
    expect(tally.count('shop', 'cache.hit', 1, start + 2_000)).toBe(false);
    expect(tally.count('blog', 'cache.hit', 1, start + 61_000)).toBe(true);
    expect(tally.take(start + 61_000)).toEqual([
      { siteId: 'blog', minute: 1000, name: 'cache.hit', count: 3 },
      { siteId: 'shop', minute: 1000, name: 'cache.hit', count: 1 },
      { siteId: 'blog', minute: 1001, name: 'cache.hit', count: 1 },
    ]);
    expect(tally.take()).toEqual([]);
    expect(tally.count('blog', 'route.any', 1, start + 62_000)).toBe(false);
  });
});

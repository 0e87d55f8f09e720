import { describe, expect, it } from 'vitest';
import { TtlCache } from './ttl-cache.ts';

describe('the bounded TTL cache', () => {
  it('keeps an answer for its TTL and forgets it after', () => {
    const cache = new TtlCache<string>(5_000, 10);
    cache.set('a', 'one', 1_000);
    expect(cache.get('a', 5_999)).toEqual({ value: 'one' });
    expect(cache.get('a', 6_000)).toBeUndefined();
  });

  it('keeps an answer that is undefined, so a miss is cached too', () => {
    const cache = new TtlCache<string | undefined>(5_000, 10);
    cache.set('nobody', undefined, 0);
    expect(cache.get('nobody', 1)).toEqual({ value: undefined });
  });

  it('never holds more than its bound: past it, it starts afresh', () => {
    const cache = new TtlCache<number>(60_000, 3);
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) cache.set(key, i, 0);
    expect(['a', 'b', 'c', 'd'].map((key) => cache.get(key, 1)?.value)).toEqual([
      undefined,
      undefined,
      undefined,
      3,
    ]);
  });
});

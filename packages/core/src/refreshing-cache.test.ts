import { describe, expect, it } from 'vitest';
import { RefreshingCache } from './refreshing-cache.ts';

const options = { refreshAfterMs: 5_000, maxStaleMs: 30_000, maxEntries: 10 };

/** Reads that answer what `next` says when asked, counted. */
function source(next: { value: string; fails?: boolean }) {
  const reads = { count: 0 };
  const read = async () => {
    reads.count++;
    if (next.fails) throw new Error('the owner is away');
    return next.value;
  };
  return { read, reads };
}

function background() {
  const promises: Promise<unknown>[] = [];
  return { waitUntil: (promise: Promise<unknown>) => promises.push(promise), promises };
}

describe('the refreshing per-isolate cache', () => {
  it('reads once, then answers from memory with a value, not a promise', async () => {
    const cache = new RefreshingCache<string>(options);
    const next = { value: 'one' };
    const { read, reads } = source(next);
    const { waitUntil, promises } = background();
    expect(await cache.get('a', read, waitUntil, 1_000)).toBe('one');
    expect(cache.get('a', read, waitUntil, 6_000)).toBe('one');
    expect(reads.count).toBe(1);
    expect(promises).toHaveLength(0);
  });

  it('past refreshAfterMs serves its copy at once and renews it with one background read', async () => {
    const cache = new RefreshingCache<string>(options);
    const next = { value: 'one' };
    const { read, reads } = source(next);
    const { waitUntil, promises } = background();
    await cache.get('a', read, waitUntil, 0);
    next.value = 'two';
    expect(cache.get('a', read, waitUntil, 5_001)).toBe('one');
    expect(cache.get('a', read, waitUntil, 5_002)).toBe('one');
    expect(promises).toHaveLength(1);
    await Promise.all(promises);
    expect(cache.get('a', read, waitUntil, 5_003)).toBe('two');
    expect(reads.count).toBe(2);
  });

  it('keeps its copy when a background read fails, and tries again on the next request', async () => {
    const cache = new RefreshingCache<string>(options);
    const next = { value: 'one', fails: false };
    const { read, reads } = source(next);
    const { waitUntil, promises } = background();
    await cache.get('a', read, waitUntil, 0);
    next.fails = true;
    expect(cache.get('a', read, waitUntil, 6_000)).toBe('one');
    await Promise.all(promises);
    expect(cache.get('a', read, waitUntil, 6_001)).toBe('one');
    expect(reads.count).toBe(3);
  });

  it('never serves a copy older than maxStaleMs: the request waits for a fresh read', async () => {
    const cache = new RefreshingCache<string>(options);
    const next = { value: 'one', fails: false };
    const { read } = source(next);
    const { waitUntil, promises } = background();
    await cache.get('a', read, waitUntil, 0);
    next.value = 'two';
    const answer = cache.get('a', read, waitUntil, 30_001);
    expect(answer).toBeInstanceOf(Promise);
    expect(await answer).toBe('two');
    expect(promises).toHaveLength(0);
    next.fails = true;
    await expect(cache.get('a', read, waitUntil, 70_000)).rejects.toThrow('the owner is away');
  });

  it('shares one read among the requests that wait for the same key', async () => {
    const cache = new RefreshingCache<string>(options);
    const { read, reads } = source({ value: 'one' });
    const { waitUntil } = background();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => cache.get('a', read, waitUntil, 0)),
    );
    expect(answers).toEqual(['one', 'one', 'one', 'one', 'one']);
    expect(reads.count).toBe(1);
  });

  it('never holds more keys than its bound: past it, it starts afresh', async () => {
    const cache = new RefreshingCache<string>({ ...options, maxEntries: 3 });
    const { read, reads } = source({ value: 'one' });
    const { waitUntil } = background();
    for (const key of ['a', 'b', 'c', 'd']) await cache.get(key, read, waitUntil, 0);
    await cache.get('d', read, waitUntil, 1);
    expect(reads.count).toBe(4);
    await cache.get('a', read, waitUntil, 1);
    expect(reads.count).toBe(5);
  });
});

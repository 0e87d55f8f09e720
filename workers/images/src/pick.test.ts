import type { ManifestImage } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { pickImage, randomIndex } from './pick.ts';

const images: ManifestImage[] = Array.from({ length: 20 }, (_, i) => ({
  id: i.toString(16).padStart(20, '0'),
  key: `site/landscape/${i}.jpg`,
  category: 'landscape',
  width: 1600,
  height: 900,
  contentType: 'image/jpeg',
  size: 1000,
  sha256: '0'.repeat(64),
}));

/** A repeatable source of 32-bit numbers (mulberry32), so the fairness test cannot flake. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

// The chi-square critical values at the 1% level for 19 and 18 degrees of freedom.
const CRITICAL_19_DF_1_PERCENT = 36.191;
const CRITICAL_18_DF_1_PERCENT = 34.805;

function chiSquare(counts: number[], total: number): number {
  const expected = total / counts.length;
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

describe('picking an image', () => {
  it('is uniform over 10,000 picks (chi-square does not reject at 1%)', async () => {
    const random32 = seeded(2026);
    const counts = new Array(images.length).fill(0);
    for (let i = 0; i < 10_000; i++)
      counts[Number.parseInt((await pickImage(images, { random32 })).id, 16)]++;
    expect(chiSquare(counts, 10_000)).toBeLessThan(CRITICAL_19_DF_1_PERCENT);
  });

  it('stays uniform, and never repeats, when each pick avoids the previous one', async () => {
    const random32 = seeded(7);
    const counts = new Array(images.length).fill(0);
    let last: string | undefined;
    for (let i = 0; i < 10_000; i++) {
      const image = await pickImage(images, { random32, ...(last ? { lastId: last } : {}) });
      expect(image.id).not.toBe(last);
      last = image.id;
      counts[Number.parseInt(image.id, 16)]++;
    }
    expect(chiSquare(counts, 10_000)).toBeLessThan(CRITICAL_19_DF_1_PERCENT);
  });

  it.each([
    ['in the middle of the pool', 4],
    ['at the end of the pool', 19],
  ])('picks fairly among the others when the last image is %s', async (_where, lastIndex) => {
    const random32 = seeded(lastIndex);
    const lastId = images[lastIndex]?.id ?? '';
    const counts = new Array(images.length).fill(0);
    for (let i = 0; i < 10_000; i++)
      counts[Number.parseInt((await pickImage(images, { random32, lastId })).id, 16)]++;
    expect(counts[lastIndex]).toBe(0);
    const others = counts.filter((_, index) => index !== lastIndex);
    expect(chiSquare(others, 10_000)).toBeLessThan(CRITICAL_18_DF_1_PERCENT);
  });

  it('gives the same image for the same seed, and spreads seeds over the set', async () => {
    const first = await pickImage(images, { seed: 'post-42' });
    expect((await pickImage(images, { seed: 'post-42' })).id).toBe(first.id);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add((await pickImage(images, { seed: `post-${i}` })).id);
    expect(seen.size).toBe(images.length);
  });

  it('draws indexes without modulo bias', () => {
    const values = [2 ** 32 - 1, 2 ** 32 - 2, 5];
    expect(randomIndex(3, () => values.shift() ?? 0)).toBe(2);
  });
});

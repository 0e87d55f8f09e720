import { SiteSettings, type SiteSnapshot } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { primaryOf, readerOrder } from './pick-node.ts';

const site = (weights: number[]): SiteSnapshot => ({
  id: 's',
  hosts: ['s.example'],
  settings: SiteSettings.parse({}),
  nodes: weights.map((weight, i) => ({
    id: `n${i}`,
    originUrl: `http://127.0.0.${i + 2}`,
    role: i === 0 ? 'primary' : 'secondary',
    weight,
  })),
  publishedAt: new Date().toISOString(),
});

describe('choosing nodes', () => {
  it('finds the primary', () => {
    expect(primaryOf(site([1, 1]))?.id).toBe('n0');
  });

  it('sends readers to nodes in proportion to their weights', () => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 10_000; i++) {
      const first = readerOrder(site([100, 300]))[0]?.id ?? '';
      counts[first] = (counts[first] ?? 0) + 1;
    }
    expect(counts.n1 ?? 0).toBeGreaterThan(7_000);
    expect(counts.n1 ?? 0).toBeLessThan(8_000);
  });

  it('lists every node with weight once, the retry after the first, and leaves out weight 0', () => {
    const order = readerOrder(site([100, 100, 0]), () => 0.99);
    expect(order.map((node) => node.id)).toEqual(['n1', 'n0']);
  });
});

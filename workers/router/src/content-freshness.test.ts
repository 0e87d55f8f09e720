import { generationTimeMs, type NodeHealth, SiteSettings, type SiteSnapshot } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { isStale } from './content-freshness.ts';

const site: SiteSnapshot = {
  id: 'blog',
  hosts: ['blog.example'],
  settings: SiteSettings.parse({ sync: { maxStalenessSeconds: 60 } }),
  nodes: [
    { id: 'a', originUrl: 'http://127.0.0.2', role: 'primary', weight: 100 },
    { id: 'b', originUrl: 'http://127.0.0.3', role: 'secondary', weight: 100 },
  ],
  publishedAt: '2026-12-01T00:00:00.000Z',
};
const up = (contentGeneration?: string): NodeHealth => ({
  up: true,
  since: '2026-12-01T00:00:00.000Z',
  reason: 'ok',
  ...(contentGeneration ? { contentGeneration } : {}),
});

describe('content freshness', () => {
  it('reads when a generation was dumped from its id', () => {
    expect(generationTimeMs('20261201T233551123Z-a')).toBe(Date.parse('2026-12-01T23:35:51.123Z'));
  });

  it.each([
    {
      rule: 'a node within the staleness bound is fresh',
      own: '20261201T100030000Z-a',
      stale: false,
    },
    {
      rule: 'a node further behind than the bound is stale',
      own: '20261201T095900000Z-a',
      stale: true,
    },
    {
      rule: 'a node with no generation is stale once the primary has one',
      own: undefined,
      stale: true,
    },
  ])('$rule', ({ own, stale }) => {
    const health = { a: up('20261201T100100000Z-a'), b: up(own) };
    expect(isStale(site, health, 'b')).toBe(stale);
  });

  it('counts nothing stale while the primary has published no generation', () => {
    expect(isStale(site, { a: up(), b: up() }, 'b')).toBe(false);
  });

  it('never counts the primary stale', () => {
    expect(isStale(site, { a: up('20261201T100100000Z-a') }, 'a')).toBe(false);
  });
});

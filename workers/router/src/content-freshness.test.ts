import { generationTimeMs, type NodeHealth, SiteSettings, type SiteSnapshot } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { isStale, oldestServedGeneration } from './content-freshness.ts';

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

describe('the oldest generation readers are served', () => {
  const down: NodeHealth = { ...up('20261201T100000000Z-a'), up: false };
  it.each([
    {
      rule: 'is the oldest of the nodes readers go to',
      health: { a: up('20261201T100100000Z-a'), b: up('20261201T100030000Z-a') },
      served: '20261201T100030000Z-a',
    },
    {
      rule: 'is none while a reader node reports no generation and none is stale',
      health: { a: up(), b: up('20261201T100030000Z-a') },
      served: undefined,
    },
    {
      rule: 'leaves out a node that is down',
      health: { a: up('20261201T100100000Z-a'), b: down },
      served: '20261201T100100000Z-a',
    },
    {
      rule: 'leaves out a node too stale to be sent readers',
      health: { a: up('20261201T100100000Z-a'), b: up('20261201T090000000Z-a') },
      served: '20261201T100100000Z-a',
    },
    {
      rule: 'counts a stale node when it is the only one readers can go to',
      health: { a: { ...up('20261201T100100000Z-a'), up: false }, b: up('20261201T090000000Z-a') },
      served: '20261201T090000000Z-a',
    },
    {
      rule: 'is none while no node is up',
      health: { a: { ...down }, b: down },
      served: undefined,
    },
  ])('$rule', ({ health, served }) => {
    expect(oldestServedGeneration(site, health)).toBe(served);
  });

  it('leaves out a node readers are never sent (weight 0)', () => {
    const weightless = {
      ...site,
      nodes: site.nodes.map((node) => (node.id === 'b' ? { ...node, weight: 0 } : node)),
    };
    const health = { a: up('20261201T100100000Z-a'), b: up('20261201T100030000Z-a') };
    expect(oldestServedGeneration(weightless, health)).toBe('20261201T100100000Z-a');
  });
});

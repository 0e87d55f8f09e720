import { type NodeHealth, SiteSettings, type SiteSnapshot } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { duration, syncConditions } from './sync-conditions.ts';

const site: SiteSnapshot = {
  id: 'blog',
  hosts: ['blog.example'],
  settings: SiteSettings.parse({ sync: { maxStalenessSeconds: 60 } }),
  nodes: [
    { id: 'a', originUrl: 'http://a.example', role: 'primary', weight: 100 },
    { id: 'b', originUrl: 'http://b.example', role: 'secondary', weight: 100 },
  ],
  publishedAt: new Date(0).toISOString(),
};
const NOW_MS = Date.parse('2026-12-01T12:00:00.000Z');
const node = (contentGeneration?: string, up = true): NodeHealth => ({
  up,
  since: new Date(0).toISOString(),
  reason: 'ok',
  ...(contentGeneration ? { contentGeneration } : {}),
});
const G0900 = '20261201T090000000Z-a';
const G1000 = '20261201T100000000Z-a';
const G1159 = '20261201T115930000Z-a';

describe('a node behind the primary’s content', () => {
  it.each([
    {
      rule: 'no alert before the primary has published',
      a: undefined,
      b: G0900,
      seen: [G0900],
      behind: false,
    },
    {
      rule: 'no alert for a node serving the primary’s generation',
      a: G1000,
      b: G1000,
      seen: [G1000],
      behind: false,
    },
    {
      rule: 'no alert while newer content has waited less than the bound',
      a: G1159,
      b: G0900,
      seen: [G0900, G1159],
      behind: false,
    },
    {
      rule: 'an alert once newer content has waited longer than the bound',
      a: G1159,
      b: G0900,
      seen: [G0900, G1000, G1159],
      behind: true,
    },
    {
      rule: 'an alert for a node with no generation yet',
      a: G1000,
      b: undefined,
      seen: [G1000],
      behind: true,
    },
    {
      rule: 'no alert for a node down (node-down tells of it)',
      a: G1000,
      b: G0900,
      seen: [G0900, G1000],
      behind: false,
      down: true,
    },
  ])('$rule', ({ a, b, seen, behind, down }) => {
    const health = { a: node(a), b: node(b, !down) };
    const conditions = syncConditions(
      site,
      health,
      { generations: seen, failures: {}, untoldKeptEdits: {} },
      NOW_MS,
    );
    expect(conditions.map((condition) => condition.key)).toEqual(
      behind ? ['content-behind:b'] : [],
    );
  });

  it('says how far behind the node is and how long newer content has waited', () => {
    const [condition] = syncConditions(
      site,
      { a: node(G1159), b: node(G0900) },
      { generations: [G0900, G1000, G1159], failures: {}, untoldKeptEdits: {} },
      NOW_MS,
    );
    expect(condition?.detail).toBe(
      `it serves generation ${G0900}, 3 h older than the primary’s ${G1159}, and newer content has waited 2 h for it (sync.maxStalenessSeconds is 60)`,
    );
  });

  it.each([
    [45_000, '45 s'],
    [720_000, '12 min'],
    [3 * 3_600_000, '3 h'],
    [3 * 86_400_000, '3 days'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(duration(ms)).toBe(text);
  });
});

import { type NodeHealth, SiteSettings, type SiteSnapshot } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { openConditions } from './conditions.ts';

const site = (standbyNode?: string): SiteSnapshot => ({
  id: 'blog',
  hosts: ['blog.example'],
  settings: SiteSettings.parse({ failover: { standbyNode } }),
  nodes: [
    { id: 'a', originUrl: 'http://a.example', role: 'primary', weight: 100 },
    { id: 'b', originUrl: 'http://b.example', role: 'secondary', weight: 100 },
  ],
  publishedAt: new Date(0).toISOString(),
});
const up: NodeHealth = { up: true, since: new Date(0).toISOString(), reason: 'ok' };
const down = (reason: string): NodeHealth => ({ ...up, up: false, reason });
const keys = (...args: Parameters<typeof openConditions>) =>
  openConditions(...args).map((condition) => `${condition.key} ${condition.detail}`);

describe('the conditions an owner is told of', () => {
  it.each([
    ['no node checked yet', site(), {}, {}, []],
    ['a secondary down', site(), { a: up, b: down('disk') }, {}, ['node-down:b disk']],
    [
      'the primary down without a standby',
      site(),
      { a: down('db'), b: up },
      {},
      ['node-down:a db', 'primary-down admin, logins and writes get the maintenance page'],
    ],
    [
      'the primary down with its standby up',
      site('b'),
      { a: down('db') },
      {},
      ['node-down:a db', 'primary-down admin, logins and writes go to the standby b'],
    ],
    [
      'every node down',
      site('b'),
      { a: down('db'), b: down('gone') },
      {},
      [
        'node-down:a db',
        'node-down:b gone',
        'primary-down admin, logins and writes get the maintenance page',
        'all-down every node is down: readers get the edge cache’s stale copies, or an error page',
      ],
    ],
    [
      'events set aside',
      site(),
      {},
      { b: 2, a: 0 },
      ['quarantine:b 2 comment-log events set aside in wp_edge_quarantine'],
    ],
  ])('%s', (_name, snapshot, health, quarantined, expected) => {
    expect(keys(snapshot, health, quarantined)).toEqual(expected);
  });
});

import { runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { type Node, provisionSite } from './provisioned-site.ts';

const THRESHOLDS = { rise: 3, fall: 3 };

async function site(id: string, nodes: Node[], settings: unknown = {}): Promise<string> {
  await provisionSite(id, nodes, settings);
  return `https://${id}.example`;
}

const primary = (id: string, originUrl = inject('originUrl')): Node => ({
  id,
  originUrl,
  role: 'primary',
  weight: 100,
});
const secondary = (id: string, originUrl = inject('secondOriginUrl')): Node => ({
  id,
  originUrl,
  role: 'secondary',
  weight: 100,
});

const registry = (siteId: string) => env.NODE_REGISTRY.get(env.NODE_REGISTRY.idFromName(siteId));

async function servedBy(url: string) {
  const response = await exports.default.fetch(url, { redirect: 'manual' });
  await response.arrayBuffer();
  return { status: response.status, node: response.headers.get('x-origin') };
}

/** Failed checks in a row the registry holds against a node. */
const failedInARow = (siteId: string, nodeId: string) =>
  runInDurableObject(registry(siteId), (_instance, state) => {
    const [row] = state.storage.sql
      .exec<{ bad: number }>('SELECT bad FROM node_state WHERE node_id = ?', nodeId)
      .toArray();
    return row?.bad ?? 0;
  });

describe('what live traffic may say about a node', () => {
  it('keeps a node up and the admin on the primary while a reader makes one URL fail again and again', async () => {
    const base = await site('include-attack', [primary('attacked-a'), secondary('attacked-b')]);
    for (let i = 0; i < 12; i++)
      expect((await servedBy(`${base}/wp-includes/rss-functions.php`)).status).toBe(500);
    // Reports travel in the background: the registry's answer to a later one shows the earlier ones are in.
    const health = await registry('include-attack').reportTraffic(
      'attacked-a',
      { kind: 'server error', detail: 'answered 500' },
      THRESHOLDS,
      ['attacked-b'],
    );
    expect(health.up).toBe(true);
    expect(await failedInARow('include-attack', 'attacked-a')).toBe(0);
    expect(await servedBy(`${base}/wp-admin/`)).toEqual({ status: 200, node: 'a' });
  });

  it('counts a 5xx against a node once its own probe fails too', async () => {
    const base = await site('agreed-5xx', [primary('agreed-a'), secondary('agreed-b')]);
    await registry('agreed-5xx').record('agreed-a', false, 'answered 500', 'probe', THRESHOLDS);
    await expect
      .poll(
        async () => {
          await servedBy(`${base}/wp-includes/rss-functions.php`);
          return failedInARow('agreed-5xx', 'agreed-a');
        },
        { timeout: 15_000, interval: 200 },
      )
      .toBeGreaterThanOrEqual(2);
  });

  it('counts a node that cannot be reached at most once every two seconds', async () => {
    await site('burst', [primary('burst-a'), secondary('burst-dead', 'http://127.0.0.9:9')]);
    const report = () =>
      registry('burst').reportTraffic(
        'burst-dead',
        { kind: 'unreachable', detail: 'connection refused' },
        THRESHOLDS,
        ['burst-a'],
      );
    for (let i = 0; i < 10; i++) await report();
    expect(await failedInARow('burst', 'burst-dead')).toBe(1);
    expect((await registry('burst').health())['burst-dead']?.up).toBe(true);
  });

  it('never takes the last node that can serve down on traffic alone, and lets a probe agree', async () => {
    const base = await site('last-node', [primary('last-dead', 'http://127.0.0.9:9')]);
    await expect
      .poll(
        async () => {
          expect((await servedBy(`${base}/post/`)).status).toBe(502);
          return failedInARow('last-node', 'last-dead');
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBeGreaterThanOrEqual(3);
    expect((await registry('last-node').health())['last-dead']?.up).toBe(true);
    const probed = await registry('last-node').record(
      'last-dead',
      false,
      'connection refused',
      'probe',
      THRESHOLDS,
    );
    expect(probed).toMatchObject({ up: false, reason: expect.stringMatching(/\(probe: /) });
  });

  it('never takes the primary down on traffic alone when it has no standby to take over', async () => {
    const base = await site('no-standby', [
      primary('lonely-dead', 'http://127.0.0.9:9'),
      secondary('lonely-b'),
    ]);
    await expect
      .poll(
        async () => {
          await servedBy(`${base}/wp-admin/`);
          return failedInARow('no-standby', 'lonely-dead');
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBeGreaterThanOrEqual(3);
    expect((await registry('no-standby').health())['lonely-dead']?.up).toBe(true);
  });
});

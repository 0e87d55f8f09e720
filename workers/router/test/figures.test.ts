import { env, exports } from 'cloudflare:workers';
import { SiteSettings, type SiteSnapshot } from '@wp-edge/core';
import { flushFigures, readFigures } from '@wp-edge/core/db';
import { drizzle } from 'drizzle-orm/d1';
import { describe, expect, inject, it } from 'vitest';
import { keepFigures, requestFigures } from '../src/figures/request-figures.ts';

const HOUR_MS = 3_600_000;

async function site(id: string, nodes: SiteSnapshot['nodes'], ttlSeconds = 300): Promise<string> {
  const host = `${id}.example`;
  const snapshot: SiteSnapshot = {
    id,
    hosts: [host],
    settings: SiteSettings.parse({ cache: { ttlSeconds } }),
    nodes,
    publishedAt: new Date().toISOString(),
  };
  await env.SITE_CONFIG.put(`host:${host}`, JSON.stringify(snapshot));
  return `https://${host}`;
}

async function get(url: string): Promise<string | null> {
  const response = await exports.default.fetch(url, { redirect: 'manual' });
  await response.arrayBuffer();
  return response.headers.get('x-wp-edge-cache');
}

async function totals(siteId: string): Promise<Record<string, number>> {
  await requestFigures.flush(env.DB);
  const rows = await readFigures(drizzle(env.DB), siteId, Date.now() - 2 * 60_000);
  const sums: Record<string, number> = {};
  for (const row of rows) sums[row.name] = (sums[row.name] ?? 0) + row.count;
  return sums;
}

describe('edge figures of requests', () => {
  it('counts requests by route class, edge cache answer and blocked, per site and minute', async () => {
    const base = await site('counted', [
      { id: 'counted-a', originUrl: inject('originUrl'), role: 'primary', weight: 100 },
    ]);
    await get(`${base}/html/counted/`);
    await get(`${base}/html/counted/`);
    await get(`${base}/wp-admin/`);
    await get(`${base}/xmlrpc.php`);
    expect(await totals('counted')).toEqual({
      'route.any': 2,
      'route.primary': 1,
      'route.blocked': 1,
      'cache.miss': 1,
      'cache.hit': 1,
    });
  });

  it('counts each failure live traffic sees on a node', async () => {
    const base = await site('failing', [
      { id: 'failing-dead', originUrl: 'http://127.0.0.9:9', role: 'primary', weight: 100 },
    ]);
    await get(`${base}/wp-admin/`);
    expect(await totals('failing')).toMatchObject({ 'route.primary': 1, 'node.failure': 1 });
  });

  it('counts the stale copies served while every node is down', async () => {
    const base = await site(
      'stale-counted',
      [{ id: 'stale-counted-a', originUrl: inject('originUrl'), role: 'primary', weight: 100 }],
      1,
    );
    await get(`${base}/html/kept/`);
    await expect.poll(() => get(`${base}/html/kept/`)).toBe('HIT');
    const registry = env.NODE_REGISTRY.get(env.NODE_REGISTRY.idFromName('stale-counted'));
    for (let i = 0; i < 3; i++)
      await registry.record('stale-counted-a', false, 'test', 'probe', { rise: 3, fall: 3 });
    await expect
      .poll(() => get(`${base}/html/kept/`), { timeout: 15_000, interval: 500 })
      .toBe('STALE');
    expect((await totals('stale-counted'))['cache.stale']).toBeGreaterThanOrEqual(1);
  });

  it('keeps 24 hours: the Cron drops older minutes', async () => {
    const db = drizzle(env.DB);
    const minute = (ms: number) => Math.floor(ms / 60_000);
    await flushFigures(db, [
      { siteId: 'aged', minute: minute(Date.now() - 25 * HOUR_MS), name: 'route.any', count: 5 },
      { siteId: 'aged', minute: minute(Date.now() - 23 * HOUR_MS), name: 'route.any', count: 7 },
    ]);
    await keepFigures(env);
    expect((await readFigures(db, 'aged', 0)).map((row) => row.count)).toEqual([7]);
  });
});

import { env, exports } from 'cloudflare:workers';
import { SiteSettings, type SiteSnapshot, signRequest } from '@wp-edge/core';
import { addNode, bindingStore, createSite } from '@wp-edge/core/provision';
import { describe, expect, inject, it } from 'vitest';

type Node = SiteSnapshot['nodes'][number];

async function site(id: string, nodes?: Node[], ttlSeconds = 300): Promise<string> {
  const host = `${id}.example`;
  const snapshot: SiteSnapshot = {
    id,
    hosts: [host],
    settings: SiteSettings.parse({ cache: { ttlSeconds } }),
    nodes: nodes ?? [
      { id: `${id}-a`, originUrl: inject('originUrl'), role: 'primary', weight: 100 },
    ],
    publishedAt: new Date().toISOString(),
  };
  await env.SITE_CONFIG.put(`host:${host}`, JSON.stringify(snapshot));
  return `https://${host}`;
}

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await exports.default.fetch(url, { headers });
  return {
    status: response.status,
    cache: response.headers.get('x-wp-edge-cache'),
    body: await response.text(),
  };
}

describe('the edge page cache', () => {
  it('serves an anonymous page from the cache the second time', async () => {
    const base = await site('cached');
    const first = await get(`${base}/html/post/`);
    expect(first.cache).toBe('MISS');
    await expect.poll(async () => (await get(`${base}/html/post/`)).cache).toBe('HIT');
    expect((await get(`${base}/html/post/`)).body).toBe(first.body);
  });

  it.each([
    ['a logged-in request', '/html/logged-in/', { cookie: 'wordpress_logged_in_x=ann' }],
    ['a commenter’s request', '/html/commenter/', { cookie: 'comment_author_x=Ann' }],
    ['a page that sets a cookie', '/html/set-cookie/', {}],
  ])('never stores or serves from it %s', async (_what, path, headers) => {
    const base = await site(`bypass-${path.length}-${Object.keys(headers).length}`);
    const first = await get(`${base}${path}`, headers);
    const second = await get(`${base}${path}`, headers);
    expect(second.cache).not.toBe('HIT');
    expect(second.body).not.toBe(first.body);
  });

  it('never stores the empty answer to a HEAD as the page', async () => {
    const base = await site('head-first');
    const head = await exports.default.fetch(`${base}/html/checked/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    await head.arrayBuffer();
    const first = await get(`${base}/html/checked/`);
    expect(first.cache).toBe('MISS');
    expect(first.body).toMatch(/^<!doctype html><p>page \/html\/checked\//);
    await expect.poll(async () => (await get(`${base}/html/checked/`)).cache).toBe('HIT');
    expect((await get(`${base}/html/checked/`)).body).toBe(first.body);
  });

  it('serves the stale copy at once when every node is known to be down', async () => {
    const base = await site('stale-at-once', undefined, 1);
    await get(`${base}/html/keep/`);
    await expect.poll(async () => (await get(`${base}/html/keep/`)).cache).toBe('HIT');
    const registry = env.NODE_REGISTRY.get(env.NODE_REGISTRY.idFromName('stale-at-once'));
    for (let i = 0; i < 3; i++)
      await registry.record('stale-at-once-a', false, 'test', 'probe', { rise: 3, fall: 3 });
    // The node still answers: a STALE answer shows the router did not ask it.
    await expect
      .poll(async () => (await get(`${base}/html/keep/`)).cache, { timeout: 15_000, interval: 500 })
      .toBe('STALE');
  });

  it('never caches the admin', async () => {
    const base = await site('admin-bypass');
    for (let i = 0; i < 2; i++) expect((await get(`${base}/wp-admin/`)).cache).toBeNull();
  });

  it('serves the last cached copy, marked stale, when every node is down', async () => {
    const base = await site('stale', undefined, 1);
    await get(`${base}/html/keep/`);
    await expect.poll(async () => (await get(`${base}/html/keep/`)).cache).toBe('HIT');
    await site(
      'stale',
      [{ id: 'dead', originUrl: 'http://127.0.0.9:9', role: 'primary', weight: 100 }],
      1,
    );
    await expect
      .poll(async () => (await get(`${base}/html/keep/`)).cache, { timeout: 15_000, interval: 500 })
      .toBe('STALE');
    expect((await get(`${base}/html/keep/`)).body).toMatch(
      /^<!doctype html><p>page \/html\/keep\/ from a, answer \d+<\/p>$/,
    );
    expect((await get(`${base}/html/never-cached/`)).status).toBe(502);
  });

  it('stops serving a page purged in another location once its copy of the registry refreshes', async () => {
    const base = await site('purged-elsewhere');
    await get(`${base}/html/elsewhere/`);
    await expect.poll(async () => (await get(`${base}/html/elsewhere/`)).cache).toBe('HIT');
    // Another location's purge reaches this one only through the registry: its own cache still holds the page.
    const registry = env.NODE_REGISTRY.get(env.NODE_REGISTRY.idFromName('purged-elsewhere'));
    await registry.purgePages([`${base}/html/elsewhere/`]);
    await expect
      .poll(async () => (await get(`${base}/html/elsewhere/`)).cache, {
        timeout: 15_000,
        interval: 500,
      })
      .toBe('MISS');
    await expect.poll(async () => (await get(`${base}/html/elsewhere/`)).cache).toBe('HIT');
  });

  it('forgets a purged page, and the whole site on a site purge', async () => {
    // Provisioned as the CLI does, so the signing node's key is in D1.
    const store = bindingStore(env.DB, env.SITE_CONFIG);
    await createSite(store, { id: 'purged', hosts: ['purged.example'] });
    await addNode(
      store,
      'purged',
      { id: 'purged-a', originUrl: inject('originUrl'), role: 'primary' },
      { key: { keyId: 'purged-key', secret: 'p'.repeat(64) } },
    );
    const base = 'https://purged.example';
    const purge = async (body: unknown) => {
      const url = `${base}/agent/purge`;
      const text = JSON.stringify(body);
      const headers = await signRequest({
        method: 'POST',
        url,
        body: text,
        keyId: 'purged-key',
        secret: 'p'.repeat(64),
      });
      return (
        await exports.default.fetch(url, {
          method: 'POST',
          body: text,
          headers: { ...headers, 'content-type': 'application/json' },
        })
      ).json();
    };
    await get(`${base}/html/one/`);
    await expect.poll(async () => (await get(`${base}/html/one/`)).cache).toBe('HIT');
    expect(await purge({ urls: [`${base}/html/one/`] })).toEqual({ purged: 'urls', urls: 1 });
    expect((await get(`${base}/html/one/`)).cache).toBe('MISS');
    await expect.poll(async () => (await get(`${base}/html/one/`)).cache).toBe('HIT');
    expect(await purge({ urls: ['https://cached.example/html/post/'] })).toMatchObject({
      status: 403,
    });
    expect(await purge({})).toMatchObject({ purged: 'site', cacheGeneration: 1 });
    await expect
      .poll(async () => (await get(`${base}/html/one/`)).cache, { timeout: 15_000, interval: 500 })
      .toBe('MISS');
  });
});

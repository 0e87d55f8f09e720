import { env, exports } from 'cloudflare:workers';
import { SiteSettings, type SiteSnapshot, signRequest } from '@wp-edge/core';
import { addNode, createSite, requireSite } from '@wp-edge/core/provision';
import { describe, expect, inject, it, onTestFinished, vi } from 'vitest';
import { siteCache } from '../src/cache/edge-cache.ts';
import { type Node, provisionSite, replaceNodes, store } from './provisioned-site.ts';

/**
 * A site on the loopback origin, provisioned as the CLI does; its expired copies are not
 * served unless a test asks. Given again with other nodes, the site's nodes are replaced.
 */
async function site(
  id: string,
  nodes?: Node[],
  ttlSeconds = 300,
  staleWhileRevalidateSeconds = 0,
): Promise<string> {
  const named = (
    nodes ?? [{ id: 'a', originUrl: inject('originUrl'), role: 'primary', weight: 100 }]
  ).map((node) => ({ ...node, id: node.id.startsWith(`${id}-`) ? node.id : `${id}-${node.id}` }));
  if (await requireSite(store.db, id).catch(() => undefined)) await replaceNodes(id, named);
  else await provisionSite(id, named, { cache: { ttlSeconds, staleWhileRevalidateSeconds } });
  return `https://${id}.example`;
}

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await exports.default.fetch(url, { headers });
  return {
    status: response.status,
    cache: response.headers.get('x-wp-edge-cache'),
    cacheControl: response.headers.get('cache-control'),
    body: await response.text(),
  };
}

/**
 * Watches what the router hands the Cache API until the test ends: for a page, the lifetime
 * in seconds of each copy it stores (what the Cache API keeps it for: s-maxage, else max-age).
 */
function watchStores() {
  const put = vi.spyOn(caches.default, 'put');
  onTestFinished(() => put.mockRestore());
  return {
    of(page: string): number[] {
      return put.mock.calls
        .filter(([request]) => {
          const url = new URL(request instanceof Request ? request.url : request);
          url.search = '';
          return url.href === new URL(page).href;
        })
        .map(([, response]) => {
          const control = response.headers.get('cache-control') ?? '';
          const lifetime = /s-maxage=(\d+)/.exec(control) ?? /max-age=(\d+)/.exec(control);
          return Number(lifetime?.[1]);
        })
        .sort((a, b) => a - b);
    },
  };
}

/** The first body of `url` that no longer contains `current`, asked for every 50 ms for up to 15 s. */
async function nextCopy(url: string, current: string): Promise<string> {
  let body = '';
  await expect
    .poll(
      async () => {
        body = (await get(url)).body;
        return body.includes(current);
      },
      { timeout: 15_000, interval: 50 },
    )
    .toBe(false);
  return body;
}

/** A page whose node answers with these caching headers (the loopback origin sets what it is asked). */
const page = (base: string, name: string, headers: Record<string, string>) =>
  `${base}/html/${name}/?${new URLSearchParams(headers)}`;

describe('the edge page cache', () => {
  it('serves an anonymous page from the cache the second time', async () => {
    const base = await site('cached');
    const first = await get(`${base}/html/post/`);
    expect(first.cache).toBe('MISS');
    await expect.poll(async () => (await get(`${base}/html/post/`)).cache).toBe('HIT');
    expect((await get(`${base}/html/post/`)).body).toBe(first.body);
  });

  it('keeps a reader’s own __wp_edge_cache in the query a page of its own', async () => {
    const base = await site('own-key');
    const plain = await get(`${base}/html/keyed/`);
    await expect.poll(async () => (await get(`${base}/html/keyed/`)).cache).toBe('HIT');
    for (const query of [
      '?__wp_edge_cache=p0',
      '?__wp_edge_cache=p0-stale',
      '?a=1&__wp_edge_cache=p0',
    ]) {
      const own = await get(`${base}/html/keyed/${query}`);
      expect(own.cache).toBe('MISS');
      expect(own.body).not.toBe(plain.body);
    }
  });

  it.each([
    ['a logged-in request', '/html/logged-in/', { cookie: 'wordpress_logged_in_x=ann' }],
    ['a commenter’s request', '/html/commenter/', { cookie: 'comment_author_x=Ann' }],
    ['a page that sets a cookie', '/html/set-cookie/', {}],
  ])('never stores or serves from it %s', async (_what, path, headers) => {
    const base = await site(`bypass-${path.length}-${Object.keys(headers).length}`);
    const stores = watchStores();
    const first = await get(`${base}${path}`, headers);
    const second = await get(`${base}${path}`, headers);
    for (const answer of [first, second]) expect(['BYPASS', null]).toContain(answer.cache);
    expect(second.body).not.toBe(first.body);
    expect(stores.of(`${base}${path}`)).toEqual([]);
  });

  it('stores a page fresh for the site’s ttlSeconds and a stale copy for a week', async () => {
    const base = await site('lifetimes', undefined, 600);
    const stores = watchStores();
    expect((await get(`${base}/html/lifetimes/`)).cache).toBe('MISS');
    expect(stores.of(`${base}/html/lifetimes/`)).toEqual([600, 7 * 86_400]);
  });

  it('asks the node again once the page’s ttlSeconds have passed', async () => {
    const base = await site('expiring', undefined, 1);
    const first = await get(`${base}/html/expiring/`);
    expect(first.cache).toBe('MISS');
    await expect.poll(async () => (await get(`${base}/html/expiring/`)).cache).toBe('HIT');
    await expect
      .poll(async () => (await get(`${base}/html/expiring/`)).cache, {
        timeout: 5_000,
        interval: 250,
      })
      .toBe('MISS');
  });

  it('serves a page’s expired copy while one request fetches the new one', async () => {
    const base = await site('revalidated', undefined, 1, 60);
    const url = `${base}/html/popular/`;
    expect((await get(url)).body).toContain('visit 1<');
    await expect.poll(async () => (await get(url)).cache).toBe('HIT');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const readers = await Promise.all(Array.from({ length: 20 }, () => get(url)));
    for (const reader of readers) {
      expect(reader.status).toBe(200);
      expect(['UPDATING', 'HIT']).toContain(reader.cache);
    }
    expect(readers.filter((reader) => reader.cache === 'UPDATING').length).toBeGreaterThan(0);
    // Twenty readers at the expiry, one request to the node: the copy after visit 1 is visit 2,
    // and the one after it visit 3. The background fetch is slow on a loaded machine, so each
    // wait is for the next copy, whatever it holds, and then says which visit it is.
    expect(await nextCopy(url, 'visit 1<')).toContain('visit 2<');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await get(url);
    expect(await nextCopy(url, 'visit 2<')).toContain('visit 3<');
  });

  it('asks the node, as a miss, once an expired copy is older than staleWhileRevalidateSeconds', async () => {
    const base = await site('revalidate-window', undefined, 1, 1);
    const url = `${base}/html/window/`;
    await get(url);
    await expect.poll(async () => (await get(url)).cache).toBe('HIT');
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const late = await get(url);
    expect(late.cache).toBe('MISS');
    expect(late.body).toContain('visit 2<');
  });

  it('never serves an expired copy of a purged page', async () => {
    const snapshot: SiteSnapshot = {
      id: 'revalidate-purged',
      hosts: ['revalidate-purged.example'],
      settings: SiteSettings.parse({ cache: { ttlSeconds: 1, staleWhileRevalidateSeconds: 60 } }),
      nodes: [],
      publishedAt: new Date().toISOString(),
    };
    const url = new URL('https://revalidate-purged.example/edited/');
    const stores: Promise<unknown>[] = [];
    const view = { cacheGeneration: 0, purgedPages: {}, purgeHorizonMs: 0 };
    const answer = new Response('<p>first</p>', { headers: { 'content-type': 'text/html' } });
    await siteCache(snapshot, view, (promise) => stores.push(promise))
      .store(url, 'GET', answer)
      .text();
    await Promise.all(stores);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const expired = await siteCache(snapshot, view, () => {}).expired(url);
    expect(expired?.headers.get('x-wp-edge-cache')).toBe('UPDATING');
    await expired?.body?.cancel();
    const purged = { ...view, purgedPages: { [url.href]: Date.now() } };
    expect(await siteCache(snapshot, purged, () => {}).expired(url)).toBeUndefined();
  });

  it('never stores a page when the site’s ttlSeconds is 0', async () => {
    const base = await site('uncached', undefined, 0);
    const stores = watchStores();
    const first = await get(`${base}/html/uncached/`);
    const second = await get(`${base}/html/uncached/`);
    expect([first.cache, second.cache]).toEqual(['BYPASS', 'BYPASS']);
    expect(second.body).not.toBe(first.body);
    expect(stores.of(`${base}/html/uncached/`)).toEqual([]);
  });

  it.each([
    { vary: 'Cookie' },
    { vary: 'Accept-Encoding, User-Agent' },
    { vary: '*' },
    { 'cache-control': 'no-cache' },
    { 'cache-control': 'no-cache="Set-Cookie"' },
    { 'cache-control': 'private, max-age=600' },
    { 'cache-control': 'no-store' },
    { 'cache-control': 'max-age=0' },
    { 'cache-control': 'public, s-maxage=0, max-age=60' },
  ] as Record<string, string>[])('never stores a page whose node answers %j', async (headers) => {
    const said = (Object.values(headers)[0] ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const base = await site(`origin-says-${said.replace(/^-|-$/g, '') || 'anything'}`);
    const url = page(base, 'private', headers);
    const first = await get(url);
    expect(first.cache).toBe('BYPASS');
    const second = await get(url);
    expect(second.cache).toBe('BYPASS');
    expect(second.body).not.toBe(first.body);
  });

  it('stores a page that varies by Accept-Encoding only', async () => {
    const base = await site('vary-encoding');
    const url = page(base, 'gzip', { vary: 'Accept-Encoding' });
    expect((await get(url)).cache).toBe('MISS');
    await expect.poll(async () => (await get(url)).cache).toBe('HIT');
  });

  it('gives browsers the node’s own caching headers on a hit, never the edge’s lifetime', async () => {
    const base = await site('browser-headers');
    const own = page(base, 'own', { 'cache-control': 'public, max-age=60' });
    expect((await get(own)).cacheControl).toBe('public, max-age=60');
    await expect.poll(async () => (await get(own)).cache).toBe('HIT');
    expect((await get(own)).cacheControl).toBe('public, max-age=60');
    const none = `${base}/html/none/`;
    await get(none);
    await expect.poll(async () => (await get(none)).cache).toBe('HIT');
    expect((await get(none)).cacheControl).toBeNull();
  });

  it('gives browsers a stale copy they must not keep', async () => {
    const base = await site('stale-headers', undefined, 1);
    const url = page(base, 'outage', { 'cache-control': 'public, max-age=60' });
    await get(url);
    await expect.poll(async () => (await get(url)).cache).toBe('HIT');
    await site(
      'stale-headers',
      [{ id: 'dead', originUrl: 'http://127.0.0.9:9', role: 'primary', weight: 100 }],
      1,
    );
    await expect
      .poll(async () => (await get(url)).cache, { timeout: 15_000, interval: 500 })
      .toBe('STALE');
    expect((await get(url)).cacheControl).toBe('no-cache');
  });

  it('never serves the stale copy of a purged page, even with every node down', async () => {
    const base = await site('purged-stale', undefined, 300);
    const url = `${base}/html/purged-stale/`;
    await get(url);
    await expect.poll(async () => (await get(url)).cache).toBe('HIT');
    const purges = env.PAGE_PURGES.get(env.PAGE_PURGES.idFromName('purged-stale'));
    await purges.purgePages([url]);
    await site(
      'purged-stale',
      [{ id: 'purged-stale-dead', originUrl: 'http://127.0.0.9:9', role: 'primary', weight: 100 }],
      300,
    );
    // Once this location's copy of the purges learns of it, nothing of the page is left.
    await expect
      .poll(async () => (await get(url)).cache, { timeout: 15_000, interval: 500 })
      .not.toBe('HIT');
    expect(await get(url)).toMatchObject({ status: 502, cache: null });
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
      /^<!doctype html><p>page \/html\/keep\/ from a, answer \d+, visit \d+<\/p>$/,
    );
    expect((await get(`${base}/html/never-cached/`)).status).toBe(502);
  });

  it('stops serving a page purged in another location once its copy of the purges refreshes', async () => {
    const base = await site('purged-elsewhere');
    await get(`${base}/html/elsewhere/`);
    await expect.poll(async () => (await get(`${base}/html/elsewhere/`)).cache).toBe('HIT');
    // Another location's purge reaches this one only through PagePurges: its own cache still holds the page.
    const purges = env.PAGE_PURGES.get(env.PAGE_PURGES.idFromName('purged-elsewhere'));
    await purges.purgePages([`${base}/html/elsewhere/`]);
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
    expect(await purge({ pages: ['/html/one/'] })).toEqual({ purged: 'pages', pages: 1 });
    expect((await get(`${base}/html/one/`)).cache).toBe('MISS');
    await expect.poll(async () => (await get(`${base}/html/one/`)).cache).toBe('HIT');
    // WordPress's `home` may be a node's own address: only the path counts, on the site's own hosts.
    expect(await purge({ pages: ['http://127.0.0.2:8080/html/one/'] })).toEqual({
      purged: 'pages',
      pages: 1,
    });
    expect((await get(`${base}/html/one/`)).cache).toBe('MISS');
    await expect.poll(async () => (await get(`${base}/html/one/`)).cache).toBe('HIT');
    expect(await purge({})).toMatchObject({ purged: 'site', cacheGeneration: 1 });
    await expect
      .poll(async () => (await get(`${base}/html/one/`)).cache, { timeout: 15_000, interval: 500 })
      .toBe('MISS');
  });
});

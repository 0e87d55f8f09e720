import { env, exports } from 'cloudflare:workers';
import { type GenerationPurge, type Manifest, signRequest } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { heartbeat, KEY, registry, signedSite } from './heartbeats.ts';

const OLD = '20261201T100000000Z';
const NEW = '20261201T100005000Z';

/** Commits a manifest with nothing in it but its purge, from the site's primary, as its agent does. */
async function commit(host: string, primary: string, generation: string, purge: GenerationPurge) {
  const manifest: Manifest = {
    generation,
    siteId: host.replace('.example', ''),
    nodeId: primary,
    createdAt: new Date().toISOString(),
    commentCursor: 0,
    tables: [],
    files: [],
    purge,
  };
  const url = `https://${host}/agent/sync/commit`;
  const body = JSON.stringify(manifest);
  const headers = await signRequest({ method: 'POST', url, body, ...KEY(primary) });
  const response = await exports.default.fetch(url, {
    method: 'POST',
    body,
    headers: { ...headers, 'content-type': 'application/json' },
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

/** How the edge cache answers a reader's GET of the page. */
async function cacheOf(url: string): Promise<string | null> {
  const response = await exports.default.fetch(url);
  await response.arrayBuffer();
  return response.headers.get('x-wp-edge-cache');
}

/** A site with both nodes on `OLD` content and `page` in the edge cache. */
async function cachedSite(id: string, page: string) {
  const site = await signedSite(id);
  const a = `${id}-a`;
  const b = `${id}-b`;
  for (const node of [a, b]) await heartbeat(site.host, node, { contentGeneration: `${OLD}-${a}` });
  const url = `https://${site.host}${page}`;
  await expect.poll(() => cacheOf(url), { timeout: 10_000, interval: 100 }).toBe('HIT');
  return { ...site, url, purges: env.PAGE_PURGES.get(env.PAGE_PURGES.idFromName(id)) };
}

describe('the purge a content generation brings', () => {
  it('is held while a serving node is behind, and done on every host once every serving node has the generation', async () => {
    const site = await cachedSite('held', '/html/edited-post/');
    await commit(site.host, 'held-a', `${NEW}-held-a`, ['/html/edited-post/', '/']);
    await heartbeat(site.host, 'held-a', { contentGeneration: `${NEW}-held-a` });
    await heartbeat(site.host, 'held-b', { contentGeneration: `${OLD}-held-a` });
    expect(await cacheOf(site.url)).toBe('HIT');
    expect((await site.purges.view()).purgedPages).toEqual({});

    await heartbeat(site.host, 'held-b', { contentGeneration: `${NEW}-held-a` });
    expect(await cacheOf(site.url)).toBe('MISS');
    expect(Object.keys((await site.purges.view()).purgedPages).sort()).toEqual([
      'http://held.example/',
      'http://held.example/html/edited-post/',
      'https://held.example/',
      'https://held.example/html/edited-post/',
    ]);
  });

  it('does not wait for a node that is down', async () => {
    const site = await cachedSite('down-behind', '/html/post/');
    for (let i = 0; i < 3; i++)
      await registry('down-behind').record('down-behind-b', false, 'test', 'probe', {
        rise: 3,
        fall: 3,
      });
    await commit(site.host, 'down-behind-a', `${NEW}-down-behind-a`, ['/html/post/']);
    await heartbeat(site.host, 'down-behind-a', { contentGeneration: `${NEW}-down-behind-a` });
    expect(await cacheOf(site.url)).toBe('MISS');
  });

  it('purges the whole site when the generation says so, once every serving node has it', async () => {
    const site = await cachedSite('site-purge', '/html/any/');
    const before = (await site.purges.view()).cacheGeneration;
    await commit(site.host, 'site-purge-a', `${NEW}-site-purge-a`, 'site');
    await heartbeat(site.host, 'site-purge-a', { contentGeneration: `${NEW}-site-purge-a` });
    expect((await site.purges.view()).cacheGeneration).toBe(before);
    await heartbeat(site.host, 'site-purge-b', { contentGeneration: `${NEW}-site-purge-a` });
    expect((await site.purges.view()).cacheGeneration).toBe(before + 1);
  });

  it('purges pages of older generations too when a node catches up past them', async () => {
    const site = await cachedSite('skipped', '/html/first/');
    await commit(site.host, 'skipped-a', `${NEW}-skipped-a`, ['/html/first/']);
    await commit(site.host, 'skipped-a', '20261201T100009000Z-skipped-a', ['/html/second/']);
    await heartbeat(site.host, 'skipped-a', { contentGeneration: '20261201T100009000Z-skipped-a' });
    expect(await cacheOf(site.url)).toBe('HIT');
    await heartbeat(site.host, 'skipped-b', { contentGeneration: '20261201T100009000Z-skipped-a' });
    expect(Object.keys((await site.purges.view()).purgedPages)).toEqual(
      expect.arrayContaining([
        'https://skipped.example/html/first/',
        'https://skipped.example/html/second/',
      ]),
    );
    expect(await cacheOf(site.url)).toBe('MISS');
  });
});

import { env, exports } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { siteCache } from '../src/cache/edge-cache.ts';
import { purgesOf } from '../src/cache/page-purges.ts';
import { provisionSite, replaceNodes } from './provisioned-site.ts';

/** A site on the loopback origin, provisioned as the CLI does. */
async function site(id: string) {
  const snapshot = await provisionSite(id, [
    { id: `${id}-a`, originUrl: inject('originUrl'), role: 'primary', weight: 100 },
  ]);
  return { snapshot, base: `https://${id}.example` };
}

/** Stores a page in this location's edge cache as a router that knew generation 0 and no purges did. */
async function storedBefore(snapshot: Parameters<typeof siteCache>[0], url: URL): Promise<void> {
  const stores: Promise<unknown>[] = [];
  const view = { cacheGeneration: 0, purgedPages: {}, purgeHorizonMs: 0 };
  const answer = new Response('<p>before the purge</p>', {
    headers: { 'content-type': 'text/html' },
  });
  await siteCache(snapshot, view, (promise) => stores.push(promise))
    .store(url, 'GET', answer)
    .text();
  await Promise.all(stores);
}

async function get(url: string) {
  const response = await exports.default.fetch(url);
  return { cache: response.headers.get('x-wp-edge-cache'), body: await response.text() };
}

describe("the router's copies of a site's state", () => {
  it('never serves a copy from before a site purge to the first read of the site in an isolate', async () => {
    const { snapshot, base } = await site('first-read-site-purge');
    const url = new URL(`${base}/html/old/`);
    await storedBefore(snapshot, url);
    await purgesOf(env, snapshot.id).purgeSite();
    const first = await get(url.href);
    expect(first.cache).toBe('MISS');
    expect(first.body).not.toContain('before the purge');
  });

  it('never serves a copy of a page purged before the first read of the site in an isolate', async () => {
    const { snapshot, base } = await site('first-read-page-purge');
    const url = new URL(`${base}/html/old/`);
    await storedBefore(snapshot, url);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await purgesOf(env, snapshot.id).purgePages([url.href]);
    const first = await get(url.href);
    expect(first.cache).toBe('MISS');
    expect(first.body).not.toContain('before the purge');
  });

  it('sees a purge made elsewhere within about 5 s, answering every request from its copy meanwhile', async () => {
    const { snapshot, base } = await site('purge-seen-in-time');
    const page = `${base}/html/watched/`;
    await get(page);
    await expect.poll(async () => (await get(page)).cache).toBe('HIT');
    await purgesOf(env, snapshot.id).purgePages([page]);
    const purgedAtMs = Date.now();
    const answers: string[] = [];
    for (;;) {
      const { cache } = await get(page);
      answers.push(cache ?? '');
      if (cache === 'MISS' || Date.now() - purgedAtMs > 15_000) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(answers.at(-1)).toBe('MISS');
    expect(Date.now() - purgedAtMs).toBeLessThan(8_000);
    expect(answers.slice(0, -1).every((cache) => cache === 'HIT')).toBe(true);
  });

  it('sees a republished snapshot within about 5 s, every request answered meanwhile', async () => {
    const { snapshot, base } = await site('republished-in-time');
    const reader = async () => {
      const response = await exports.default.fetch(`${base}/html/who/`, {
        headers: { cookie: 'comment_author_x=reader' },
      });
      expect(response.status).toBe(200);
      return /from (\w+),/.exec(await response.text())?.[1];
    };
    expect(await reader()).toBe('a');
    await replaceNodes(snapshot.id, [
      {
        id: `${snapshot.id}-b`,
        originUrl: inject('secondOriginUrl'),
        role: 'primary',
        weight: 100,
      },
    ]);
    const republishedAtMs = Date.now();
    await expect.poll(reader, { timeout: 15_000, interval: 200 }).toBe('b');
    expect(Date.now() - republishedAtMs).toBeLessThan(8_000);
  });
});

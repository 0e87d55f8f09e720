import { env } from 'cloudflare:workers';
import { imageManifestKey } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { loadImageSet } from '../src/image-set.ts';
import { createImageSite, landscape, portrait } from './image-site.ts';

// Reads the cache renews in the background, for tests that never wait for one.
const ignored = (promise: Promise<unknown>) => void promise;

describe('the image set', () => {
  it('indexes images in key order whatever order the manifest lists them, so seeds keep their image', async () => {
    const images = await createImageSite('order-a', [
      landscape(),
      portrait(),
      landscape('walls'),
      portrait('walls'),
      landscape(),
    ]);
    await env.SITE_CONFIG.put(
      imageManifestKey('order-b'),
      JSON.stringify({
        siteId: 'order-b',
        updatedAt: new Date().toISOString(),
        images: [...images].reverse(),
      }),
    );
    const [a, b] = await Promise.all(
      ['order-a', 'order-b'].map((site) => loadImageSet(env.SITE_CONFIG, site, ignored)),
    );
    const ids = (pool: string) => [...(a?.pools.get(pool) ?? [])].map((image) => image.id);
    for (const pool of ['*|*', '*|landscape', 'walls|*', 'landscape|landscape'])
      expect(b?.pools.get(pool)?.map((image) => image.id)).toEqual(ids(pool));
    expect(a?.pools.get('*|*')).toHaveLength(5);
  });

  it('indexes a set far beyond one R2 listing (20,000 images) by category and orientation', async () => {
    const count = 20_000;
    const images = Array.from({ length: count }, (_, i) => ({
      id: i.toString(16).padStart(20, '0'),
      key: `large/c${i % 10}/${i}.jpg`,
      category: `c${i % 10}`,
      width: i % 2 ? 900 : 1600,
      height: 1200,
      contentType: 'image/jpeg',
      size: 1000,
      sha256: 'c'.repeat(64),
    }));
    await env.SITE_CONFIG.put(
      imageManifestKey('large'),
      JSON.stringify({ siteId: 'large', updatedAt: new Date().toISOString(), images }),
    );
    const set = await loadImageSet(env.SITE_CONFIG, 'large', ignored);
    expect(set?.pools.get('*|*')).toHaveLength(count);
    expect(set?.pools.get('*|portrait')).toHaveLength(count / 2);
    expect(set?.pools.get('c3|portrait')).toHaveLength(count / 10);
    expect(set?.categories).toHaveLength(10);
  });

  it('refuses a manifest of a format version it does not know, naming the fix', async () => {
    await env.SITE_CONFIG.put(
      imageManifestKey('future'),
      JSON.stringify({ v: 2, siteId: 'future', updatedAt: new Date().toISOString(), images: [] }),
    );
    await expect(loadImageSet(env.SITE_CONFIG, 'future', ignored)).rejects.toThrow(
      'KV entry images:future is in format version 2, but this code reads version 1; sync the images again with: npx wp-edge images sync <folder> --site future',
    );
  });

  it('serves its copy while one background read renews it past 5 s, and sees a new sync after', async () => {
    const now = Date.now() + 60_000;
    await createImageSite('renewed', [landscape()]);
    const background: Promise<unknown>[] = [];
    const waitUntil = (promise: Promise<unknown>) => background.push(promise);
    const at = (nowMs: number) => loadImageSet(env.SITE_CONFIG, 'renewed', waitUntil, nowMs);
    expect((await at(now))?.byId.size).toBe(1);
    await createImageSite('renewed', [landscape(), portrait()]);
    const served = at(now + 5_001);
    expect(served).not.toBeInstanceOf(Promise);
    expect((served as Awaited<typeof served>)?.byId.size).toBe(1);
    expect(background).toHaveLength(1);
    await Promise.all(background);
    expect((await at(now + 5_002))?.byId.size).toBe(2);
    await createImageSite('renewed', [landscape()]);
    // Past 30 s no request renewed it: the next one reads KV first.
    expect((await at(now + 40_000))?.byId.size).toBe(1);
    expect(background).toHaveLength(1);
  });
});

import { env } from 'cloudflare:workers';
import { imageManifestKey } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { loadImageSet } from '../src/image-set.ts';
import { createImageSite, landscape, portrait } from './image-site.ts';

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
      ['order-a', 'order-b'].map((site) => loadImageSet(env.SITE_CONFIG, site)),
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
    const set = await loadImageSet(env.SITE_CONFIG, 'large');
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
    await expect(loadImageSet(env.SITE_CONFIG, 'future')).rejects.toThrow(
      'KV entry images:future is in format version 2, but this code reads version 1; sync the images again with: npx wp-edge images sync <folder> --site future',
    );
  });
});

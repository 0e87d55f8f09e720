import { env, exports } from 'cloudflare:workers';
import { imageManifestKey, type ManifestImage, SiteSettings } from '@wp-edge/core';

export interface TestImage {
  category: string;
  width: number;
  height: number;
  /** The image's type and bytes; a small PNG-typed text when left out. */
  contentType?: string;
  body?: string;
}

/** A site `<id>.example` whose images are in R2 with their manifest in KV; returns its images. */
export async function createImageSite(id: string, images: TestImage[]): Promise<ManifestImage[]> {
  const host = `${id}.example`;
  await env.SITE_CONFIG.put(
    `host:${host}`,
    JSON.stringify({
      id,
      hosts: [host],
      settings: SiteSettings.parse({}),
      nodes: [],
      publishedAt: new Date().toISOString(),
    }),
  );
  const manifest = await Promise.all(
    images.map(async (image, i) => {
      const contentType = image.contentType ?? 'image/png';
      const bytes = new TextEncoder().encode(image.body ?? `image ${id} ${i} ${'x'.repeat(100)}`);
      const key = `${id}/${image.category}/${i}.${contentType === 'image/svg+xml' ? 'svg' : 'png'}`;
      await env.IMAGES_BUCKET.put(key, bytes, { httpMetadata: { contentType } });
      return {
        id: `${i}`.padStart(4, '0').padEnd(20, 'a'),
        key,
        category: image.category,
        width: image.width,
        height: image.height,
        contentType,
        size: bytes.length,
        sha256: 'b'.repeat(64),
      };
    }),
  );
  await env.SITE_CONFIG.put(
    imageManifestKey(id),
    JSON.stringify({ siteId: id, updatedAt: new Date().toISOString(), images: manifest }),
  );
  return manifest;
}

export function get(url: string, headers: Record<string, string> = {}) {
  return exports.default.fetch(url, { headers, redirect: 'manual' });
}

export const landscape = (category = 'landscape'): TestImage => ({
  category,
  width: 1600,
  height: 900,
});
export const portrait = (category = 'portrait'): TestImage => ({
  category,
  width: 900,
  height: 1600,
});

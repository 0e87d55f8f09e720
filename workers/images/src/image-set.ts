import {
  type ImageManifest,
  imageManifestKey,
  type ManifestImage,
  RefreshingCache,
  readManifest,
} from '@wp-edge/core';

export type Orientation = 'landscape' | 'portrait';

/** A site's images, indexed for O(1) picks by category and orientation. */
export interface ImageSet {
  byId: Map<string, ManifestImage>;
  /** `category|orientation`, `category|*`, `*|orientation` and `*|*` → images. */
  pools: Map<string, ManifestImage[]>;
  categories: string[];
}

// Per isolate and site, kept like the site snapshots: read once, renewed in the background
// past 5 s, never used past 30 s. Bounded like them too, though only sites found by host
// name get here.
const cache = new RefreshingCache<ImageSet | undefined>({
  refreshAfterMs: 5_000,
  maxStaleMs: 30_000,
  maxEntries: 10_000,
});

export const orientationOf = (image: ManifestImage): Orientation =>
  image.width >= image.height ? 'landscape' : 'portrait';

/**
 * Indexes a manifest in key order, whatever order it was written in, so a seed keeps its
 * image while the set is unchanged.
 */
function index(manifest: ImageManifest): ImageSet {
  const images = [...manifest.images].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const pools = new Map<string, ManifestImage[]>();
  const add = (key: string, image: ManifestImage) => {
    const pool = pools.get(key);
    if (pool) pool.push(image);
    else pools.set(key, [image]);
  };
  for (const image of images) {
    for (const category of [image.category, '*']) {
      add(`${category}|${orientationOf(image)}`, image);
      add(`${category}|*`, image);
    }
  }
  return {
    byId: new Map(images.map((image) => [image.id, image])),
    pools,
    categories: [...new Set(images.map((image) => image.category))].sort(),
  };
}

/**
 * The site's image set from its KV manifest, or undefined when it has none: the isolate's
 * copy, renewed through `waitUntil` so a pick seldom waits on KV.
 */
export function loadImageSet(
  kv: KVNamespace,
  siteId: string,
  waitUntil: (promise: Promise<unknown>) => void,
  nowMs = Date.now(),
): ImageSet | undefined | Promise<ImageSet | undefined> {
  return cache.get(
    siteId,
    async () => {
      const stored = await kv.get(imageManifestKey(siteId), 'json');
      return stored === null ? undefined : index(readManifest(siteId, stored));
    },
    waitUntil,
    nowMs,
  );
}

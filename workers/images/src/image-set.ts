import {
  type ImageManifest,
  imageManifestKey,
  type ManifestImage,
  readManifest,
  TtlCache,
} from '@wp-edge/core';

export type Orientation = 'landscape' | 'portrait';

/** A site's images, indexed for O(1) picks by category and orientation. */
export interface ImageSet {
  byId: Map<string, ManifestImage>;
  /** `category|orientation`, `category|*`, `*|orientation` and `*|*` → images. */
  pools: Map<string, ManifestImage[]>;
  categories: string[];
}

// Per isolate and site, for 5 s, like the site snapshots: a pick reads KV once in a while.
// Bounded like them too, though only sites found by host name get here.
const cache = new TtlCache<ImageSet | undefined>(5_000, 10_000);

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

/** The site's image set from its KV manifest, or undefined when it has none. */
export async function loadImageSet(
  kv: KVNamespace,
  siteId: string,
  nowMs = Date.now(),
): Promise<ImageSet | undefined> {
  const cached = cache.get(siteId, nowMs);
  if (cached) return cached.value;
  const stored = await kv.get(imageManifestKey(siteId), 'json');
  const set = stored === null ? undefined : index(readManifest(siteId, stored));
  cache.set(siteId, set, nowMs);
  return set;
}

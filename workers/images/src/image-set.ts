import { ImageManifest, imageManifestKey, type ManifestImage } from '@wp-edge/core';

export type Orientation = 'landscape' | 'portrait';

/** A site's images, indexed for O(1) picks by category and orientation. */
export interface ImageSet {
  byId: Map<string, ManifestImage>;
  /** `category|orientation`, `category|*`, `*|orientation` and `*|*` → images. */
  pools: Map<string, ManifestImage[]>;
  categories: string[];
}

const TTL_MS = 5_000;
// Per isolate and site, for 5 s, like the site snapshots: a pick reads KV once in a while.
const cache = new Map<string, { set: ImageSet | undefined; expiresAtMs: number }>();

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
  const cached = cache.get(siteId);
  if (cached && cached.expiresAtMs > nowMs) return cached.set;
  const stored = await kv.get(imageManifestKey(siteId), 'json');
  const set = stored === null ? undefined : index(ImageManifest.parse(stored));
  cache.set(siteId, { set, expiresAtMs: nowMs + TTL_MS });
  return set;
}

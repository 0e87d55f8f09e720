import { readFile } from 'node:fs/promises';
import {
  type ImageManifest,
  imageManifestKey,
  imageObjectKey,
  type ManifestImage,
  manifestDocument,
  readManifest,
} from '@wp-edge/core';
import { readSites } from '@wp-edge/core/provision';
import pLimit from 'p-limit';
import type { CliStore } from '../bindings.ts';
import { CliError } from '../errors.ts';
import { type LocalImage, readLocalImages } from './local-images.ts';

export interface SyncOptions {
  site: string;
  category?: string;
  /** Remove images that are no longer in the folder: of the category, or of the whole set. */
  delete: boolean;
  progress: (line: string) => void;
}

export interface SyncResult {
  uploaded: number;
  unchanged: number;
  removed: number;
  total: number;
}

// Uploads in flight at once: each holds one file in memory, so memory stays bounded.
const UPLOADS_AT_ONCE = 8;

async function currentManifest(store: CliStore, siteId: string): Promise<ImageManifest> {
  const text = await store.kv.get(imageManifestKey(siteId), 'text');
  if (text === null) return { siteId, updatedAt: new Date().toISOString(), images: [] };
  return readManifest(siteId, JSON.parse(text));
}

function entryFor(siteId: string, image: LocalImage): ManifestImage {
  return {
    id: image.sha256.slice(0, 20),
    key: imageObjectKey(siteId, image.category, image.name),
    category: image.category,
    width: image.width,
    height: image.height,
    contentType: image.contentType,
    size: image.size,
    sha256: image.sha256,
  };
}

/**
 * Makes the site's image set match a folder (each subfolder a category), or one category
 * match a folder: uploads new and changed files into R2, skips unchanged ones, removes
 * missing ones when asked, and writes the manifest the image API picks from.
 */
export async function syncImages(
  store: CliStore,
  folder: string,
  options: SyncOptions,
): Promise<SyncResult> {
  if ((await readSites(store.db, [options.site])).length === 0) {
    throw new CliError(
      `there is no site ${options.site}; add it first with: npx wp-edge sites add`,
    );
  }
  const [local, manifest] = await Promise.all([
    readLocalImages(folder, options.category),
    currentManifest(store, options.site),
  ]);
  if (local.length === 0)
    throw new CliError(`there are no images in ${folder} (jpg, png, gif, webp, avif or svg)`);
  const known = new Map(manifest.images.map((image) => [image.key, image]));
  // A folder synced whole stands for the whole set, so a category folder removed from it goes too.
  const synced = (image: ManifestImage) =>
    options.category === undefined || image.category === options.category;
  const result: SyncResult = { uploaded: 0, unchanged: 0, removed: 0, total: 0 };
  const upload = pLimit(UPLOADS_AT_ONCE);
  const kept: ManifestImage[] = await Promise.all(
    local.map(async (image, index) => {
      const entry = entryFor(options.site, image);
      if (known.get(entry.key)?.sha256 === entry.sha256) {
        result.unchanged++;
        return entry;
      }
      await upload(async () =>
        store.images.put(entry.key, await readFile(image.file), {
          httpMetadata: { contentType: image.contentType },
        }),
      );
      result.uploaded++;
      options.progress(
        `[${index + 1}/${local.length}] ${image.category}/${image.name} uploaded (${image.width}×${image.height}); ${result.uploaded + result.unchanged} of ${local.length} done`,
      );
      return entry;
    }),
  );
  const localKeys = new Set(kept.map((image) => image.key));
  for (const image of manifest.images) {
    if (localKeys.has(image.key)) continue;
    if (options.delete && synced(image)) {
      await store.images.delete([image.key]);
      result.removed++;
      options.progress(`removed ${image.category}/${image.key.split('/').at(-1)}`);
    } else {
      kept.push(image);
    }
  }
  const next: ImageManifest = {
    siteId: options.site,
    updatedAt: new Date().toISOString(),
    images: kept,
  };
  await store.kv.put(imageManifestKey(options.site), manifestDocument(next));
  result.total = kept.length;
  return result;
}

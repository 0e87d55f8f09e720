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
import type { SyncEvent } from './progress.ts';
import type { ImageUploader } from './uploader.ts';

export interface SyncOptions {
  site: string;
  category?: string;
  /** Remove images that are no longer in the folder: of the category, or of the whole set. */
  delete: boolean;
  progress: (event: SyncEvent) => void;
}

export interface SyncResult {
  uploaded: number;
  unchanged: number;
  removed: number;
  total: number;
}

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
 * missing ones when asked, and writes the manifest the image API picks from. The manifest is
 * written only once every upload is stored, and objects are removed only after it no longer
 * names them, so the image API never picks an image that is not there.
 */
export async function syncImages(
  store: CliStore,
  uploader: ImageUploader,
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
  const entries = local.map((image) => entryFor(options.site, image));
  const changed = (entry: ManifestImage) => known.get(entry.key)?.sha256 !== entry.sha256;
  result.unchanged = entries.filter((entry) => !changed(entry)).length;
  options.progress({
    kind: 'start',
    total: local.length,
    uploads: local.length - result.unchanged,
    bytes: entries.filter(changed).reduce((sum, entry) => sum + entry.size, 0),
  });
  const upload = pLimit(uploader.parallel);
  // One refusal (a wrong secret, a missing bucket) would be the same for the rest: the first
  // stops every upload not yet sent.
  const stop = new AbortController();
  const uploads = local.map(async (image, index) => {
    const entry = entries[index] as ManifestImage;
    if (!changed(entry)) return;
    await upload(async () => {
      stop.signal.throwIfAborted();
      try {
        await uploader.put({
          key: entry.key,
          file: image.file,
          sha256: image.sha256,
          contentType: image.contentType,
        });
      } catch (error) {
        stop.abort(error);
        throw error;
      }
    });
    result.uploaded++;
    options.progress({
      kind: 'uploaded',
      image,
      index,
      done: result.uploaded + result.unchanged,
      total: local.length,
    });
  });
  // Every upload has ended before the sync goes on or fails, so none outlives the bindings.
  await Promise.allSettled(uploads);
  options.progress({ kind: 'end' });
  if (stop.signal.aborted) throw stop.signal.reason;
  const localKeys = new Set(entries.map((image) => image.key));
  const kept = [...entries];
  const gone: ManifestImage[] = [];
  for (const image of manifest.images) {
    if (localKeys.has(image.key)) continue;
    if (options.delete && synced(image)) gone.push(image);
    else kept.push(image);
  }
  const next: ImageManifest = {
    siteId: options.site,
    updatedAt: new Date().toISOString(),
    images: kept,
  };
  await store.kv.put(imageManifestKey(options.site), manifestDocument(next));
  await uploader.delete(gone.map((image) => image.key));
  for (const image of gone)
    options.progress({
      kind: 'removed',
      category: image.category,
      name: image.key.split('/').at(-1) ?? image.key,
    });
  result.removed = gone.length;
  result.total = kept.length;
  return result;
}

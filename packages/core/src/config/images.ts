import { z } from 'zod';
import { readStored, storedDocument } from './stored-format.ts';

/** A category of images: a folder name such as `landscape` or `wallpapers-2026`. */
export const ImageCategory = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, {
  error: 'category must be 1-63 lowercase letters, digits, - or _ (a folder name)',
});

/** One image of a site's set, as the manifest records it. */
export const ManifestImage = z.object({
  /** Derived from the bytes: a changed image gets a new id, so its URL can be cached forever. */
  id: z.string().regex(/^[0-9a-f]{20}$/),
  key: z.string().min(1),
  category: ImageCategory,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  contentType: z.string().min(1),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ManifestImage = z.infer<typeof ManifestImage>;

/** A site's image set, kept in KV so a pick never lists R2. Written by `wp-edge images sync`. */
export const ImageManifest = z.object({
  siteId: z.string().min(1),
  updatedAt: z.iso.datetime(),
  images: z.array(ManifestImage),
});
export type ImageManifest = z.infer<typeof ImageManifest>;

/** The KV key of a site's image manifest. */
export function imageManifestKey(siteId: string): string {
  return `images:${siteId}`;
}

/** The R2 key an image is stored under: the site, its category, its file name. */
export function imageObjectKey(siteId: string, category: string, fileName: string): string {
  return `${siteId}/${category}/${fileName}`;
}

/** The format version of the image manifests stored in KV (`v`). */
export const IMAGE_MANIFEST_FORMAT = 1;

/** A manifest as it is stored in KV: with its format version. */
export function manifestDocument(manifest: ImageManifest): string {
  return JSON.stringify(storedDocument(IMAGE_MANIFEST_FORMAT, manifest));
}

/** A manifest read from KV, refused with what to do if its version or fields are wrong. */
export function readManifest(siteId: string, stored: unknown): ImageManifest {
  return readStored(ImageManifest, IMAGE_MANIFEST_FORMAT, stored, {
    what: `KV entry ${imageManifestKey(siteId)}`,
    fix: `sync the images again with: npx wp-edge images sync <folder> --site ${siteId}`,
  });
}

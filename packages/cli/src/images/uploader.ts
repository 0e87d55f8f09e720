import { readFile } from 'node:fs/promises';
import type { ImagesBinding } from '../bindings.ts';

/** A file of the folder to store under a key of the image bucket. */
export interface ImageUpload {
  key: string;
  file: string;
  sha256: string;
  contentType: string;
}

/** Where `images sync` puts and removes the image objects: the local bucket or R2's S3 API. */
export interface ImageUploader {
  /** Uploads this uploader runs at once. */
  readonly parallel: number;
  put(upload: ImageUpload): Promise<void>;
  /** Removes these objects; a key that is already gone is not an error. */
  delete(keys: string[]): Promise<void>;
}

/**
 * The local state's image bucket, through Miniflare's R2 binding. Each file is read whole:
 * the platform proxy hands a stream of ours to the bucket without its length, and workerd's
 * R2 refuses a stream of unknown length; `parallel` bounds the memory this takes.
 */
export function bindingUploader(bucket: ImagesBinding): ImageUploader {
  return {
    parallel: 8,
    async put(upload) {
      await bucket.put(upload.key, await readFile(upload.file), {
        httpMetadata: { contentType: upload.contentType },
      });
    },
    async delete(keys) {
      // The binding takes at most 1,000 keys a call.
      for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
    },
  };
}

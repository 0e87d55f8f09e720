import type { BlobHash, GenerationId } from '@wp-edge/core';

/** Every key of a site starts here, so no site can name another's blobs or generations. */
export function sitePrefix(siteId: string): string {
  return `sites/${siteId}/`;
}

/** Where a blob of a site lives: named by the SHA-256 of its bytes. */
export function blobKey(siteId: string, sha256: BlobHash): string {
  return `${sitePrefix(siteId)}blobs/${sha256}`;
}

/** The prefix of a site's generation manifests; ids sort by time, so listing is oldest first. */
export function generationsPrefix(siteId: string): string {
  return `${sitePrefix(siteId)}generations/`;
}

/** Where a generation's manifest lives. */
export function generationKey(siteId: string, generation: GenerationId): string {
  return `${generationsPrefix(siteId)}${generation}.json`;
}

/** The generation id a manifest key names. */
export function generationOfKey(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1, -'.json'.length);
}

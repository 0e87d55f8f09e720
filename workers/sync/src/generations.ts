import {
  type GenerationSummary,
  type Manifest,
  readSyncManifest,
  syncGenerationKey,
  syncGenerationsPrefix,
  syncManifestDocument,
} from '@wp-edge/core';

/** The generation id a manifest key names. */
function generationOfKey(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1, -'.json'.length);
}

function summary(manifest: Manifest): GenerationSummary {
  const bytes =
    manifest.tables.reduce(
      (sum, table) => sum + table.chunks.reduce((s, chunk) => s + chunk.size, 0),
      0,
    ) + manifest.files.reduce((sum, file) => sum + file.size, 0);
  return {
    generation: manifest.generation,
    nodeId: manifest.nodeId,
    createdAt: manifest.createdAt,
    tables: manifest.tables.length,
    files: manifest.files.length,
    bytes,
  };
}

/** A site's generation manifests in R2, one JSON document each. */
export function generationStore(bucket: R2Bucket, siteId: string) {
  async function keys(): Promise<string[]> {
    const found: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await bucket.list({ prefix: syncGenerationsPrefix(siteId), cursor });
      found.push(...page.objects.map((object) => object.key));
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    return found.sort();
  }

  async function read(generation: string): Promise<Manifest | null> {
    const object = await bucket.get(syncGenerationKey(siteId, generation));
    if (!object) return null;
    return readSyncManifest(`generation ${generation} of site ${siteId}`, await object.json());
  }

  return {
    read,
    async write(manifest: Manifest): Promise<void> {
      await bucket.put(
        syncGenerationKey(siteId, manifest.generation),
        syncManifestDocument(manifest),
        {
          httpMetadata: { contentType: 'application/json' },
        },
      );
    },
    /** The newest generation's id, or null before the first publish. */
    async latest(): Promise<string | null> {
      const all = await keys();
      const last = all.at(-1);
      return last ? generationOfKey(last) : null;
    },
    /** Every kept generation's manifest, newest first. */
    async manifests(): Promise<Manifest[]> {
      const all = await keys();
      const read_ = await Promise.all(all.map((key) => read(generationOfKey(key))));
      return read_.filter((manifest): manifest is Manifest => manifest !== null).reverse();
    },
    summary,
    async delete(generations: string[]): Promise<void> {
      if (generations.length > 0)
        await bucket.delete(generations.map((generation) => syncGenerationKey(siteId, generation)));
    },
  };
}

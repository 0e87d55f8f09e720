import { type Manifest, readSyncManifest, syncGenerationsPrefix } from '@wp-edge/core';
import type { SyncBinding } from './bindings.ts';

/** A kept generation of a site, as `wp-edge snapshots list` shows it. */
export interface SnapshotRow extends Record<string, string | number> {
  generation: string;
  createdAt: string;
  node: string;
  tables: number;
  files: number;
  bytes: number;
}

function row(manifest: Manifest): SnapshotRow {
  const tableBytes = manifest.tables.reduce(
    (sum, table) => sum + table.chunks.reduce((s, chunk) => s + chunk.size, 0),
    0,
  );
  return {
    generation: manifest.generation,
    createdAt: manifest.createdAt,
    node: manifest.nodeId,
    tables: manifest.tables.length,
    files: manifest.files.length,
    bytes: tableBytes + manifest.files.reduce((sum, file) => sum + file.size, 0),
  };
}

/** The site's kept generations (its backups), newest first, read from the sync bucket. */
export async function listSnapshots(bucket: SyncBinding, siteId: string): Promise<SnapshotRow[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({
      prefix: syncGenerationsPrefix(siteId),
      ...(cursor ? { cursor } : {}),
    });
    keys.push(...page.objects.map((object) => object.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  const rows: SnapshotRow[] = [];
  for (const key of keys.sort().reverse()) {
    const object = await bucket.get(key);
    if (object) rows.push(row(readSyncManifest(`R2 object ${key}`, await object.json())));
  }
  return rows;
}

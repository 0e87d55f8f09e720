import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fetchBlob } from './fetch-blob.ts';
import type { SyncClient } from './sync-client.ts';

/**
 * The table chunks this node already holds, in `sync.cacheDir` (mode 0700, outside wp-content:
 * chunks hold the users' rows), so an import downloads only the chunks that changed since the
 * last one. A cached chunk is hashed again before use; one that does not match is fetched anew.
 */
export interface ChunkCache {
  get(sha256: string, size: number): Promise<Buffer>;
  /** Removes every cached chunk but these (the generation just imported). */
  keepOnly(sha256s: Set<string>): Promise<void>;
  /** Chunks downloaded from the edge so far. */
  readonly fetched: number;
}

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export function chunkCache(client: SyncClient, dir: string): ChunkCache {
  let fetched = 0;
  return {
    get fetched() {
      return fetched;
    },
    async get(sha256, size) {
      const file = path.join(dir, sha256);
      const cached = await readFile(file).catch(() => undefined);
      if (cached && cached.length === size && sha256Of(cached) === sha256) return cached;
      const bytes = await fetchBlob(client, sha256, size);
      fetched++;
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFile(`${file}.part`, bytes, { mode: 0o600 });
      await rename(`${file}.part`, file);
      return bytes;
    },
    async keepOnly(sha256s) {
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names)
        if (!sha256s.has(name)) await rm(path.join(dir, name), { force: true });
    },
  };
}

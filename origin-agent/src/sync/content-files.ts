import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ManifestFile } from '@wp-edge/core';

/** The folders of `wp-content` that are content; caches, upgrades and backups are not. */
export const CONTENT_ROOTS = ['uploads', 'themes', 'plugins', 'mu-plugins'] as const;

/** A file's SHA-256, read as a stream: memory holds one buffer whatever the size. */
export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const data of createReadStream(file)) hash.update(data as Buffer);
  return hash.digest('hex');
}

/** What a file was when it was hashed: a file whose size and mtime still match is not read again. */
export type HashCache = Map<string, { size: number; mtimeMs: number; sha256: string }>;

async function* walk(root: string, relative: string): AsyncGenerator<string> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(path.join(root, relative), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* walk(root, child);
    else if (entry.isFile()) yield child;
  }
}

/** The content files under `wp-content` (symlinks are not followed), paths relative to it. */
export async function* contentFilePaths(contentDir: string): AsyncGenerator<string> {
  for (const root of CONTENT_ROOTS) yield* walk(contentDir, root);
}

/**
 * Every content file with size, mode and SHA-256, hashing only files whose size or mtime
 * changed since `cache` saw them; `cache` is updated in place.
 */
export async function scanContentFiles(
  contentDir: string,
  cache: HashCache,
): Promise<ManifestFile[]> {
  const files: ManifestFile[] = [];
  const seen = new Set<string>();
  for await (const relative of contentFilePaths(contentDir)) {
    const absolute = path.join(contentDir, relative);
    const stats = await lstat(absolute);
    const known = cache.get(relative);
    const sha256 =
      known && known.size === stats.size && known.mtimeMs === stats.mtimeMs
        ? known.sha256
        : await fileSha256(absolute);
    cache.set(relative, { size: stats.size, mtimeMs: stats.mtimeMs, sha256 });
    seen.add(relative);
    files.push({ path: relative, size: stats.size, mode: stats.mode & 0o7777, sha256 });
  }
  for (const relative of cache.keys()) if (!seen.has(relative)) cache.delete(relative);
  return files;
}

import { chmod, copyFile, lstat, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest, ManifestFile } from '@wp-edge/core';
import { contentFilePaths, fileSha256 } from './content-files.ts';
import { fetchBlobToFile } from './fetch-blob.ts';
import type { ImportProgress } from './stage-tables.ts';
import type { SyncClient } from './sync-client.ts';

/** Where an import stages files: inside wp-content, so moving them in is a rename. */
export const FILE_STAGING_DIR = '.wp-edge-staging';

async function holds(file: string, wanted: ManifestFile): Promise<boolean> {
  const stats = await lstat(file).catch(() => null);
  if (!stats?.isFile() || stats.size !== wanted.size) return false;
  return (await fileSha256(file)) === wanted.sha256;
}

/**
 * Downloads every file of the generation the node does not hold yet into the staging folder,
 * each checked against its hash on the way; returns the files to move in. Nothing in place is
 * touched. A file staged by an import that was killed is checked and reused.
 */
export async function stageFiles(
  client: SyncClient,
  manifest: Manifest,
  contentDir: string,
  progress: ImportProgress,
): Promise<ManifestFile[]> {
  const staging = path.join(contentDir, FILE_STAGING_DIR);
  await mkdir(staging, { recursive: true });
  const moves: ManifestFile[] = [];
  let done = 0;
  for (const file of manifest.files) {
    if (!(await holds(path.join(contentDir, file.path), file))) {
      const staged = path.join(staging, file.sha256);
      if (!(await holds(staged, file)))
        await fetchBlobToFile(client, file.sha256, file.size, staged);
      moves.push(file);
    }
    progress({ phase: 'files', done: ++done, total: manifest.files.length });
  }
  return moves;
}

/** Moves the staged files into place, each with one rename (a reader sees the old file or the new). */
export async function moveStagedFiles(contentDir: string, moves: ManifestFile[]): Promise<void> {
  const staging = path.join(contentDir, FILE_STAGING_DIR);
  const byBlob = new Map<string, number>();
  for (const file of moves) byBlob.set(file.sha256, (byBlob.get(file.sha256) ?? 0) + 1);
  for (const file of moves) {
    const target = path.join(contentDir, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    const staged = path.join(staging, file.sha256);
    const left = (byBlob.get(file.sha256) ?? 1) - 1;
    byBlob.set(file.sha256, left);
    // The same bytes at several paths: copy for all but the last, which takes the staged file.
    if (left > 0) {
      await copyFile(staged, `${target}.wp-edge-new`);
      await rename(`${target}.wp-edge-new`, target);
    } else await rename(staged, target);
    await chmod(target, file.mode);
  }
}

/** Removes content files the generation no longer has, and the staging folder. */
export async function removeStaleFiles(contentDir: string, manifest: Manifest): Promise<number> {
  const wanted = new Set(manifest.files.map((file) => file.path));
  let removed = 0;
  for await (const relative of contentFilePaths(contentDir)) {
    if (wanted.has(relative)) continue;
    await rm(path.join(contentDir, relative), { force: true });
    removed++;
  }
  await rm(path.join(contentDir, FILE_STAGING_DIR), { recursive: true, force: true });
  return removed;
}

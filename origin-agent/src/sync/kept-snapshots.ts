import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { KeptSnapshotId } from '@wp-edge/core';

/** How many kept snapshots a node holds; older ones are deleted as a new one is kept. */
export const KEPT_SNAPSHOTS = 20;

/** What a kept snapshot was taken of: the generation the node served and its edits since. */
export interface KeptOf {
  replacedGeneration: string;
  /** SHA-256 of the edited posts' ids and modification times. */
  edits: string;
}

/**
 * Whether the snapshot `snapshot` in `keptDir` is complete (its manifest is written last) and
 * was taken of exactly `of`: a retry of a failed import finds the same edits, and keeps no
 * second copy of them.
 */
export async function keptAlready(keptDir: string, snapshot: string, of: KeptOf): Promise<boolean> {
  const manifest = await readFile(path.join(keptDir, snapshot, 'manifest.json'), 'utf8').catch(
    () => null,
  );
  if (manifest === null) return false;
  const kept = JSON.parse(manifest) as Partial<KeptOf>;
  return kept.replacedGeneration === of.replacedGeneration && kept.edits === of.edits;
}

/** Deletes all but the newest `KEPT_SNAPSHOTS` snapshots (folders named for when) in `keptDir`. */
export async function pruneKept(keptDir: string): Promise<string[]> {
  const snapshots = (await readdir(keptDir))
    .filter((name) => KeptSnapshotId.safeParse(name).success)
    .sort();
  const old = snapshots.slice(0, Math.max(0, snapshots.length - KEPT_SNAPSHOTS));
  for (const name of old) await rm(path.join(keptDir, name), { recursive: true, force: true });
  return old;
}

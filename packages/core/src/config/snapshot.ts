import { z } from 'zod';
import { HostName, NodeId, NodeRole, NodeWeight, OriginUrl, SiteId, SiteSettings } from './site.ts';
import { readStored, storedDocument } from './stored-format.ts';

/**
 * What the Workers read on every request: one site's configuration, published to KV under
 * each of its host names whenever it changes in D1. It holds one secret, `originSecret`,
 * which the router sends every node so they can tell edge traffic apart; the nodes'
 * signing keys stay in D1 only.
 */
export const SiteSnapshot = z.object({
  id: SiteId,
  name: z.string().optional(),
  hosts: z.array(HostName),
  settings: SiteSettings,
  nodes: z.array(
    z.object({
      id: NodeId,
      originUrl: OriginUrl,
      role: NodeRole,
      weight: NodeWeight,
    }),
  ),
  originSecret: z.string().optional(),
  publishedAt: z.iso.datetime(),
});
export type SiteSnapshot = z.infer<typeof SiteSnapshot>;

/** The KV key under which a host's site snapshot is published. */
export function snapshotKey(host: string): string {
  return `host:${host.toLowerCase()}`;
}

/** The format version of the snapshot documents stored in KV (`v`). */
export const SNAPSHOT_FORMAT = 1;

/** A snapshot as it is stored in KV: with its format version. */
export function snapshotDocument(site: SiteSnapshot): string {
  return JSON.stringify(storedDocument(SNAPSHOT_FORMAT, site));
}

/** A snapshot read from the KV entry `key`, refused with what to do if its version or fields are wrong. */
export function readSnapshot(key: string, stored: unknown): SiteSnapshot {
  return readStored(SiteSnapshot, SNAPSHOT_FORMAT, stored, {
    what: `KV entry ${key}`,
    fix: 'republish it with: npx wp-edge sites publish',
  });
}

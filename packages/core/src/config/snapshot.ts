import { z } from 'zod';
import { HostName, NodeId, NodeRole, NodeWeight, OriginUrl, SiteId, SiteSettings } from './site.ts';

/**
 * What the Workers read on every request: one site's configuration, published to KV under
 * each of its host names whenever it changes in D1. Holds no signing secrets; the origin
 * secret is what the router sends every node so they can tell edge traffic apart.
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

import { generationTimeMs, type NodeHealth, type SiteSnapshot } from '@wp-edge/core';
import { isUp } from './health/health-copy.ts';
import { primaryOf } from './pick-node.ts';

type SiteNodes = Pick<SiteSnapshot, 'nodes' | 'settings'>;

/**
 * Whether a node's content is older than the primary's by more than the site's
 * `sync.maxStalenessSeconds`. A node without a generation is stale once the primary has one;
 * nothing is stale while the primary has published none (content sync off).
 */
export function isStale(
  site: SiteNodes,
  health: Record<string, NodeHealth>,
  nodeId: string,
): boolean {
  const primary = primaryOf(site);
  const newest = primary ? health[primary.id]?.contentGeneration : undefined;
  if (!newest || nodeId === primary?.id) return false;
  const own = health[nodeId]?.contentGeneration;
  if (!own) return true;
  return (
    generationTimeMs(newest) - generationTimeMs(own) > site.settings.sync.maxStalenessSeconds * 1000
  );
}

/**
 * The oldest content generation among the nodes readers are sent to, as `reads.ts` picks them
 * (weight above 0 and up; the stale ones only when no fresher one is up): every page a reader
 * can get now is at least that new. Undefined while one of them reports no generation, or no
 * node is up.
 */
export function oldestServedGeneration(
  site: SiteNodes,
  health: Record<string, NodeHealth>,
): string | undefined {
  const readers = site.nodes.filter((node) => node.weight > 0 && isUp(health, node.id));
  const fresh = readers.filter((node) => !isStale(site, health, node.id));
  let oldest: string | undefined;
  for (const node of fresh.length > 0 ? fresh : readers) {
    const generation = health[node.id]?.contentGeneration;
    if (!generation) return undefined;
    if (!oldest || generationTimeMs(generation) < generationTimeMs(oldest)) oldest = generation;
  }
  return oldest;
}

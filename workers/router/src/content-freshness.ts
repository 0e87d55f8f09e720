import { generationTimeMs, type NodeHealth, type SiteSnapshot } from '@wp-edge/core';
import { primaryOf } from './pick-node.ts';

/**
 * Whether a node's content is older than the primary's by more than the site's
 * `sync.maxStalenessSeconds`. A node without a generation is stale once the primary has one;
 * nothing is stale while the primary has published none (content sync off).
 */
export function isStale(
  site: SiteSnapshot,
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

import type { SiteSnapshot } from '@wp-edge/core';

export type SiteNode = SiteSnapshot['nodes'][number];

/**
 * The node a request goes to: the primary when the site has one, else the heaviest node.
 * Health-aware choice and failover replace this with the node registry.
 */
export function pickNode(site: SiteSnapshot): SiteNode | undefined {
  const primary = site.nodes.find((node) => node.role === 'primary');
  if (primary) return primary;
  return site.nodes.filter((node) => node.weight > 0).sort((a, b) => b.weight - a.weight)[0];
}

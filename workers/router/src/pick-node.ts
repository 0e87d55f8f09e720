import type { SiteSnapshot } from '@wp-edge/core';

export type SiteNode = SiteSnapshot['nodes'][number];

/** The site's primary node, which owns the content: admin, logins and writes go there. */
export function primaryOf(site: Pick<SiteSnapshot, 'nodes'>): SiteNode | undefined {
  return site.nodes.find((node) => node.role === 'primary');
}

/** The secondary the site designates to take admin and writes while the primary is down, if any. */
export function standbyOf(site: SiteSnapshot): SiteNode | undefined {
  const id = site.settings.failover.standbyNode;
  return site.nodes.find((node) => node.id === id && node.role !== 'primary');
}

/**
 * The nodes a reader's request may try, in order: each drawn at random in proportion to
 * its weight among those left, so load follows the weights and a retry goes elsewhere.
 */
export function readerOrder(site: SiteSnapshot, random: () => number = Math.random): SiteNode[] {
  const left = site.nodes.filter((node) => node.weight > 0);
  const order: SiteNode[] = [];
  while (left.length > 0) {
    const total = left.reduce((sum, node) => sum + node.weight, 0);
    let point = random() * total;
    const index = left.findIndex((node) => {
      point -= node.weight;
      return point < 0;
    });
    const [chosen] = left.splice(index < 0 ? left.length - 1 : index, 1);
    if (chosen) order.push(chosen);
  }
  return order;
}

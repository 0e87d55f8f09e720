import type { AlertKind, NodeHealth, SiteSnapshot } from '@wp-edge/core';
import { primaryOf, standbyOf } from '../pick-node.ts';

export type { AlertKind };

/** A situation the owner should know of, as it stands now. */
export interface Condition {
  /** One per situation: `node-down:blog-vps`, `all-down`. */
  key: string;
  kind: AlertKind;
  nodeId?: string;
  /** What it is, for people: the node's reason, where admin goes, how many events. */
  detail: string;
}

const isDown = (health: Record<string, NodeHealth>, nodeId: string) => health[nodeId]?.up === false;

/**
 * The conditions open for a site: each node down (with its reason), the primary down (and
 * where admin goes meanwhile), every reader node down (readers get stale copies), and each
 * node with comment-log events set aside in its quarantine.
 */
export function openConditions(
  site: SiteSnapshot,
  health: Record<string, NodeHealth>,
  quarantined: Record<string, number>,
): Condition[] {
  const conditions: Condition[] = [];
  for (const node of site.nodes) {
    const state = health[node.id];
    if (state && !state.up)
      conditions.push({
        key: `node-down:${node.id}`,
        kind: 'node-down',
        nodeId: node.id,
        detail: state.reason,
      });
  }
  const primary = primaryOf(site);
  if (primary && isDown(health, primary.id)) {
    const standby = standbyOf(site);
    conditions.push({
      key: 'primary-down',
      kind: 'primary-down',
      nodeId: primary.id,
      detail:
        standby && !isDown(health, standby.id)
          ? `admin, logins and writes go to the standby ${standby.id}`
          : 'admin, logins and writes get the maintenance page',
    });
  }
  const readers = site.nodes.filter((node) => node.weight > 0);
  if (readers.length > 0 && readers.every((node) => isDown(health, node.id)))
    conditions.push({
      key: 'all-down',
      kind: 'all-down',
      detail: 'every node is down: readers get the edge cache’s stale copies, or an error page',
    });
  for (const node of site.nodes) {
    const count = quarantined[node.id] ?? 0;
    if (count > 0)
      conditions.push({
        key: `quarantine:${node.id}`,
        kind: 'quarantine',
        nodeId: node.id,
        detail: `${count} comment-log events set aside in wp_edge_quarantine`,
      });
  }
  return conditions;
}

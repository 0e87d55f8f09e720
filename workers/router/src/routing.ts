import {
  createLogger,
  type NodeHealth,
  type SiteSnapshot,
  type SiteVariables,
} from '@wp-edge/core';
import type { Context } from 'hono';
import { registryOf } from './health/node-registry.ts';
import type { TrafficFailure } from './health/traffic-report.ts';
import { type SiteNode, standbyOf } from './pick-node.ts';

export type RouterEnv = { Bindings: Env; Variables: SiteVariables };

/** What routing one request of a site knows: its context, the site and its nodes' health. */
export interface Routing {
  c: Context<RouterEnv>;
  site: SiteSnapshot;
  /** Node health as this isolate last heard it from the registry. */
  health: Record<string, NodeHealth>;
}

const log = createLogger({ service: 'router' });

/** The nodes that take a node's traffic over while it is down: the standby for the primary. */
function fallbacksOf(site: SiteSnapshot, node: SiteNode): string[] {
  if (node.role === 'primary') return [standbyOf(site)?.id].filter((id) => id !== undefined);
  return site.nodes.filter((other) => other.id !== node.id && other.weight > 0).map((n) => n.id);
}

/** Tells the registry what live traffic saw of a node, without holding up the answer. */
export function reportFailure({ c, site }: Routing, node: SiteNode, failure: TrafficFailure): void {
  if (failure.kind === 'unreachable')
    log.warn('node could not be reached', {
      siteId: site.id,
      nodeId: node.id,
      error: failure.detail,
    });
  c.executionCtx.waitUntil(
    registryOf(c.env, site.id).reportTraffic(
      node.id,
      failure,
      site.settings.health,
      fallbacksOf(site, node),
    ),
  );
}

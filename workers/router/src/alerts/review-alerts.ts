import type { NodeHealth } from '@wp-edge/core';
import { readSites } from '@wp-edge/core/provision';
import { drizzle } from 'drizzle-orm/d1';
import { quarantineCounts } from '../health/node-reports.ts';
import { keptEditsTold, syncReports } from '../health/sync-reports.ts';
import { notice, reconcile } from './alert-book.ts';
import { alertDeliveries } from './alert-messages.ts';
import { openConditions } from './conditions.ts';
import { enqueue } from './outbox.ts';
import { keptEditsNotices, syncConditions } from './sync-conditions.ts';

/**
 * Queues a delivery to each of the site's webhooks (and its email, where configured) for each
 * alert that opened or recovered since the last review, and for each notice of a node's kept
 * edits not told yet (told once); says whether any was queued. A site
 * gone from D1 tells nobody. `health` is read after the site, so no other event slips between
 * reading the state and booking the alerts.
 */
export async function reviewAlerts(
  sql: SqlStorage,
  d1: D1Database,
  siteId: string,
  health: () => Record<string, NodeHealth>,
  nowMs: number,
): Promise<boolean> {
  const [site] = await readSites(drizzle(d1), [siteId]);
  if (!site) return false;
  const at = new Date(nowMs).toISOString();
  const nodes = health();
  const sync = syncReports(sql);
  const conditions = [
    ...openConditions(site, nodes, quarantineCounts(sql)),
    ...syncConditions(site, nodes, sync, nowMs),
  ];
  const changes = reconcile(sql, conditions, at);
  for (const { condition, nodeId, snapshot } of keptEditsNotices(site, sync)) {
    changes.push(notice(sql, condition, at));
    keptEditsTold(sql, nodeId, snapshot);
  }
  const deliveries = changes.flatMap((change) => alertDeliveries(site.id, site.settings, change));
  enqueue(sql, deliveries, nowMs);
  return deliveries.length > 0;
}

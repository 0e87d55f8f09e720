import type { NodeHealth } from '@wp-edge/core';
import { readSites } from '@wp-edge/core/provision';
import { drizzle } from 'drizzle-orm/d1';
import { quarantineCounts } from '../health/node-reports.ts';
import { reconcile } from './alert-book.ts';
import { alertDeliveries } from './alert-messages.ts';
import { openConditions } from './conditions.ts';
import { enqueue } from './outbox.ts';

/**
 * Queues a delivery to each of the site's webhooks (and its email, where configured) for each
 * alert that opened or recovered since the last review; says whether any was queued. A site
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
  const conditions = openConditions(site, health(), quarantineCounts(sql));
  const changes = reconcile(sql, conditions, new Date(nowMs).toISOString());
  const deliveries = changes.flatMap((change) => alertDeliveries(site.id, site.settings, change));
  enqueue(sql, deliveries, nowMs);
  return deliveries.length > 0;
}

import { SiteSettings } from '@wp-edge/core';
import { commentLog, nodeAlerts, nodeCursors, nodes, sites } from '@wp-edge/core/db';
import { and, count, eq, gt, min } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type { NodeLagNotification } from '../notify/notification.ts';

const MINUTE_MS = 60_000;

/**
 * Finds the nodes that have left a log entry unapplied for longer than their site's
 * `comments.lagAlertMinutes`, and those that caught up since, and returns one notification
 * per site webhook for each change: an owner hears once when a node falls behind and once
 * when it has caught up. Nodes whose agent never reported a cursor are not judged.
 */
export async function checkLag(
  db: DrizzleD1Database,
  nowMs: number,
): Promise<NodeLagNotification[]> {
  const [siteRows, nodeRows, alertRows] = await db.batch([
    db.select({ id: sites.id, settings: sites.settings }).from(sites),
    db
      .select({ nodeId: nodes.id, siteId: nodes.siteId, cursor: nodeCursors.cursor })
      .from(nodes)
      .innerJoin(nodeCursors, eq(nodeCursors.nodeId, nodes.id)),
    db.select({ nodeId: nodeAlerts.nodeId }).from(nodeAlerts),
  ]);
  const alerted = new Set(alertRows.map((row) => row.nodeId));
  const notifications: NodeLagNotification[] = [];
  for (const node of nodeRows) {
    const site = siteRows.find((row) => row.id === node.siteId);
    if (!site) continue;
    const { webhooks, lagAlertMinutes } = SiteSettings.parse(site.settings).comments;
    const [unapplied] = await db
      .select({ behind: count(), oldest: min(commentLog.createdAt) })
      .from(commentLog)
      .where(and(eq(commentLog.siteId, node.siteId), gt(commentLog.seq, node.cursor)));
    const behind = unapplied?.behind ?? 0;
    const oldest = unapplied?.oldest ?? undefined;
    const lagging = oldest !== undefined && nowMs - oldest > lagAlertMinutes * MINUTE_MS;
    if (lagging === alerted.has(node.nodeId)) continue;
    if (lagging) {
      await db
        .insert(nodeAlerts)
        .values({ nodeId: node.nodeId, siteId: node.siteId, alertedAt: nowMs });
    } else {
      await db.delete(nodeAlerts).where(eq(nodeAlerts.nodeId, node.nodeId));
    }
    for (const webhook of webhooks)
      notifications.push({
        kind: lagging ? 'node-behind' : 'node-caught-up',
        webhook,
        siteId: node.siteId,
        nodeId: node.nodeId,
        behind,
        ...(lagging ? { oldestSince: new Date(oldest).toISOString() } : {}),
      });
  }
  return notifications;
}

import { SiteSettings } from '@wp-edge/core';
import { commentLog, logRetention, nodeCursors, nodes, sites } from '@wp-edge/core/db';
import { and, eq, lt, lte, max } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';

const DAY_MS = 86_400_000;

/**
 * Prunes each site's comment log of the entries every node of the site has applied and
 * that are older than the site's `comments.logRetentionDays`, and records how far it went.
 * A site with a node that never reported its cursor keeps its whole log.
 */
export async function pruneLogs(
  db: DrizzleD1Database,
  nowMs: number,
): Promise<{ siteId: string; prunedThrough: number }[]> {
  const [siteRows, nodeRows] = await db.batch([
    db.select({ id: sites.id, settings: sites.settings }).from(sites),
    db
      .select({ siteId: nodes.siteId, cursor: nodeCursors.cursor })
      .from(nodes)
      .leftJoin(nodeCursors, eq(nodeCursors.nodeId, nodes.id)),
  ]);
  const pruned: { siteId: string; prunedThrough: number }[] = [];
  for (const site of siteRows) {
    const cursors = nodeRows.filter((row) => row.siteId === site.id).map((row) => row.cursor ?? 0);
    const appliedEverywhere = cursors.length > 0 ? Math.min(...cursors) : 0;
    if (appliedEverywhere <= 0) continue;
    const days = SiteSettings.parse(site.settings).comments.logRetentionDays;
    const [last] = await db
      .select({ seq: max(commentLog.seq) })
      .from(commentLog)
      .where(
        and(
          eq(commentLog.siteId, site.id),
          lte(commentLog.seq, appliedEverywhere),
          lt(commentLog.createdAt, nowMs - days * DAY_MS),
        ),
      );
    const through = last?.seq;
    if (!through) continue;
    await db.batch([
      db
        .delete(commentLog)
        .where(and(eq(commentLog.siteId, site.id), lte(commentLog.seq, through))),
      db
        .insert(logRetention)
        .values({ siteId: site.id, prunedThrough: through, prunedAt: nowMs })
        .onConflictDoUpdate({
          target: logRetention.siteId,
          set: { prunedThrough: through, prunedAt: nowMs },
        }),
    ]);
    pruned.push({ siteId: site.id, prunedThrough: through });
  }
  return pruned;
}

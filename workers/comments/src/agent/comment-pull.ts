import { type CommentPage, readLogEntry } from '@wp-edge/core';
import { commentLog, logRetention } from '@wp-edge/core/db';
import { and, asc, eq, gt, max } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';

/** The site's log entries after `after`, oldest first, the newest seq of the site, and how far the log was pruned. */
export async function readLog(
  db: DrizzleD1Database,
  siteId: string,
  after: number,
  limit: number,
): Promise<{ page: CommentPage; prunedThrough: number }> {
  const [rows, head, retention] = await db.batch([
    db
      .select({ seq: commentLog.seq, type: commentLog.type, payload: commentLog.payload })
      .from(commentLog)
      .where(and(eq(commentLog.siteId, siteId), gt(commentLog.seq, after)))
      .orderBy(asc(commentLog.seq))
      .limit(limit),
    db
      .select({ head: max(commentLog.seq) })
      .from(commentLog)
      .where(eq(commentLog.siteId, siteId)),
    db
      .select({ prunedThrough: logRetention.prunedThrough })
      .from(logRetention)
      .where(eq(logRetention.siteId, siteId)),
  ]);
  const events = rows.map((row) => readLogEntry(siteId, row));
  const prunedThrough = retention[0]?.prunedThrough ?? 0;
  return {
    page: {
      events,
      next: events.at(-1)?.seq ?? after,
      head: Math.max(head[0]?.head ?? 0, prunedThrough),
    },
    prunedThrough,
  };
}

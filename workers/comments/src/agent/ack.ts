import type { Ack, AgentCaller } from '@wp-edge/core';
import { commentLocations, commentLog, nodeCursors } from '@wp-edge/core/db';
import { and, count, eq, gt, sql } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';

/**
 * A node's acknowledgement, in one D1 batch: its cursor (for lag, alerts and log retention)
 * and the WordPress id its database gave each edge comment (for threading replies).
 */
export async function recordAck(
  db: DrizzleD1Database,
  { nodeId, siteId }: AgentCaller,
  { cursor, applied }: Pick<Ack, 'cursor' | 'applied'>,
  nowMs: number,
): Promise<{ cursor: number; lag: number }> {
  // One statement for the lot, however many: SQLite reads the rows from one JSON parameter
  // (D1 binds at most 100 parameters to a statement).
  const locations = applied.length
    ? [
        db
          .insert(commentLocations)
          .select(
            sql`SELECT ${nodeId}, value ->> 'wpId', value ->> 'commentId' FROM json_each(${JSON.stringify(applied)}) WHERE true`,
          )
          .onConflictDoUpdate({
            target: [commentLocations.nodeId, commentLocations.wpId],
            set: { commentId: sql`excluded.comment_id` },
          }),
      ]
    : [];
  const [behind] = await db.batch([
    db
      .select({ n: count() })
      .from(commentLog)
      .where(and(eq(commentLog.siteId, siteId), gt(commentLog.seq, cursor))),
    db
      .insert(nodeCursors)
      .values({ nodeId, siteId, cursor, reportedAt: nowMs })
      .onConflictDoUpdate({ target: nodeCursors.nodeId, set: { cursor, reportedAt: nowMs } }),
    ...locations,
  ]);
  return { cursor, lag: behind[0]?.n ?? 0 };
}

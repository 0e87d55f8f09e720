import type { Ack, AgentCaller } from '@wp-edge/core';
import { commentLocations, commentLog, nodeCursors } from '@wp-edge/core/db';
import { and, count, eq, gt, sql } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';

// D1 binds at most 100 parameters per statement: 3 per location.
const LOCATIONS_PER_STATEMENT = 33;

/**
 * A node's acknowledgement, in one D1 batch: its cursor (for lag, alerts and log retention)
 * and the WordPress id its database gave each edge comment (for threading replies), a
 * multi-row upsert per `LOCATIONS_PER_STATEMENT` of them.
 */
export async function recordAck(
  db: DrizzleD1Database,
  { nodeId, siteId }: AgentCaller,
  { cursor, applied }: Pick<Ack, 'cursor' | 'applied'>,
  nowMs: number,
): Promise<{ cursor: number; lag: number }> {
  const locations = [];
  for (let i = 0; i < applied.length; i += LOCATIONS_PER_STATEMENT)
    locations.push(
      db
        .insert(commentLocations)
        .values(
          applied
            .slice(i, i + LOCATIONS_PER_STATEMENT)
            .map(({ commentId, wpId }) => ({ nodeId, wpId, commentId })),
        )
        .onConflictDoUpdate({
          target: [commentLocations.nodeId, commentLocations.wpId],
          set: { commentId: sql`excluded.comment_id` },
        }),
    );
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

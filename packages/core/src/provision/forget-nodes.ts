import { inArray } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import {
  commentLocations,
  nodeAlerts,
  nodeCursors,
  nodeKeys,
  nodes,
  requestNonces,
} from '../db/schema.ts';

/** Runs statements as one D1 batch: all of them or none. */
export async function runBatch(
  db: DrizzleD1Database,
  statements: BatchItem<'sqlite'>[],
): Promise<void> {
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}

/**
 * The statements that delete nodes with everything D1 holds of them: their keys and the
 * nonces those keys spent, their log cursors, lag alerts and comment locations.
 */
export function forgetNodes(db: DrizzleD1Database, nodeIds: string[]): BatchItem<'sqlite'>[] {
  if (nodeIds.length === 0) return [];
  const keysOfNodes = db
    .select({ id: nodeKeys.id })
    .from(nodeKeys)
    .where(inArray(nodeKeys.nodeId, nodeIds));
  return [
    db.delete(requestNonces).where(inArray(requestNonces.keyId, keysOfNodes)),
    ...[commentLocations, nodeCursors, nodeAlerts, nodeKeys].map((table) =>
      db.delete(table).where(inArray(table.nodeId, nodeIds)),
    ),
    db.delete(nodes).where(inArray(nodes.id, nodeIds)),
  ];
}

import { CommentPage, type Logger } from '@wp-edge/core';
import { permalinksOf } from '../catalog/catalog-sync.ts';
import type { WordPressDb } from '../db/wordpress-db.ts';
import type { EdgeClient } from '../edge/edge-client.ts';
import { markReported, readCursor, unreportedLocations } from './agent-tables.ts';
import { applyEvents } from './apply-events.ts';

const PAGE_SIZE = 1000;
const LOCATIONS_PER_REPORT = 1000;

/** Tells the edge this node's cursor and the WordPress ids it gave edge comments. */
async function reportProgress(db: WordPressDb, edge: EdgeClient, nodeId: string, cursor: number) {
  const applied = await unreportedLocations(db, nodeId, LOCATIONS_PER_REPORT);
  await edge.post('/agent/cursor', { cursor, applied });
  await markReported(
    db,
    nodeId,
    applied.map((location) => location.commentId),
  );
}

/**
 * One pull of the site's comment log from this database's cursor and its application;
 * `waitSeconds` makes the pull wait at the edge for new comments. Returns how many events
 * were applied and whether more are waiting. Progress is reported to the edge after each
 * batch; a report that fails is made good by the next one.
 */
export async function pullAndApply(options: {
  db: WordPressDb;
  edge: EdgeClient;
  logger: Logger;
  nodeId: string;
  waitSeconds: number;
  signal?: AbortSignal;
}): Promise<{ applied: number; behind: boolean; lag: number }> {
  const { db, edge, logger, nodeId, waitSeconds } = options;
  const after = await readCursor(db);
  const page = CommentPage.parse(
    await edge.get(`/agent/comments?after=${after}&limit=${PAGE_SIZE}&wait=${waitSeconds}`, {
      timeoutMs: (waitSeconds + 15) * 1000,
      ...(options.signal ? { signal: options.signal } : {}),
    }),
  );
  if (page.events.length === 0)
    return { applied: 0, behind: false, lag: Math.max(0, page.head - after) };
  const result = await applyEvents(db, page.events, page.next);
  logger.info('comments applied', { ...result, head: page.head });
  if (result.posts.length > 0) {
    // The pages that show these comments are stale in the edge cache now.
    const urls = await permalinksOf(db, result.posts.slice(0, 100));
    await edge.post('/agent/purge', { urls }).catch((error: Error) => {
      logger.warn('could not purge the edge cache for the commented posts', { error });
    });
  }
  await reportProgress(db, edge, nodeId, result.cursor).catch((error: Error) => {
    logger.warn('could not report progress to the edge; the next batch reports it', { error });
  });
  return {
    applied: result.applied,
    behind: page.head > result.cursor,
    lag: Math.max(0, page.head - result.cursor),
  };
}

import { CommentPage, type Logger, MAX_PURGE_URLS } from '@wp-edge/core';
import { permalinksOf } from '../catalog/catalog-sync.ts';
import type { WordPressDb } from '../db/wordpress-db.ts';
import type { EdgeClient } from '../edge/edge-client.ts';
import { markReported, readCursor, unreportedLocations } from './agent-tables.ts';
import { type ApplyResult, applyEvents } from './apply-events.ts';
import { isDataError, quarantineEvent } from './quarantine.ts';

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
 * Applies a page in one transaction; when the database refuses an event's data (no retry
 * could make it fit), applies the page an event at a time instead and sets the refused
 * events aside, so one bad comment cannot stall the node.
 */
export async function applyPage(
  db: WordPressDb,
  page: CommentPage,
  logger: Logger,
  after?: number,
): Promise<ApplyResult & { quarantined: number }> {
  try {
    return { ...(await applyEvents(db, page.events, page.next, after)), quarantined: 0 };
  } catch (error) {
    if (!isDataError(error)) throw error;
  }
  const total = { applied: 0, skipped: 0, cursor: page.next, quarantined: 0 };
  const posts = new Set<number>();
  for (const event of page.events) {
    try {
      const one = await applyEvents(db, [event], event.seq);
      total.applied += one.applied;
      total.skipped += one.skipped;
      for (const post of one.posts) posts.add(post);
    } catch (error) {
      if (!isDataError(error)) throw error;
      await quarantineEvent(db, event, error);
      total.quarantined++;
      logger.error(
        'the database refused a comment-log event; it is set aside in wp_edge_quarantine',
        {
          seq: event.seq,
          error,
        },
      );
    }
  }
  return { ...total, posts: [...posts] };
}

/** Purges the cached pages of these posts, in as many requests as the edge's limit needs. */
export async function purgePosts(
  db: WordPressDb,
  edge: EdgeClient,
  posts: number[],
  logger: Logger,
): Promise<void> {
  for (let start = 0; start < posts.length; start += MAX_PURGE_URLS) {
    const urls = await permalinksOf(db, posts.slice(start, start + MAX_PURGE_URLS));
    if (urls.length === 0) continue;
    await edge.post('/agent/purge', { urls }).catch((error: Error) => {
      logger.warn('could not purge the edge cache for the commented posts', { error });
    });
  }
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
}): Promise<{ applied: number; quarantined: number; behind: boolean; lag: number }> {
  const { db, edge, logger, nodeId, waitSeconds } = options;
  const after = await readCursor(db);
  const page = CommentPage.parse(
    await edge.get(`/agent/comments?after=${after}&limit=${PAGE_SIZE}&wait=${waitSeconds}`, {
      timeoutMs: (waitSeconds + 15) * 1000,
      ...(options.signal ? { signal: options.signal } : {}),
    }),
  );
  if (page.events.length === 0)
    return { applied: 0, quarantined: 0, behind: false, lag: Math.max(0, page.head - after) };
  const result = await applyPage(db, page, logger, after);
  logger.info('comments applied', { ...result, head: page.head });
  // The pages that show these comments are stale in the edge cache now.
  await purgePosts(db, edge, result.posts, logger);
  await reportProgress(db, edge, nodeId, result.cursor).catch((error: Error) => {
    logger.warn('could not report progress to the edge; the next batch reports it', { error });
  });
  return {
    applied: result.applied,
    quarantined: result.quarantined,
    behind: page.head > result.cursor,
    lag: Math.max(0, page.head - result.cursor),
  };
}

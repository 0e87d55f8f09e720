import { CommentPage, type Logger } from '@wp-edge/core';
import type { WordPressDb } from '../db/wordpress-db.ts';
import type { EdgeClient } from '../edge/edge-client.ts';
import { readCursor } from './agent-tables.ts';
import { applyEvents } from './apply-events.ts';

const PAGE_SIZE = 500;

/**
 * One pull of the site's comment log from this database's cursor and its application;
 * `waitSeconds` makes the pull wait at the edge for new comments. Returns how many events
 * were applied and whether more are waiting.
 */
export async function pullAndApply(options: {
  db: WordPressDb;
  edge: EdgeClient;
  logger: Logger;
  waitSeconds: number;
  signal?: AbortSignal;
}): Promise<{ applied: number; behind: boolean }> {
  const { db, edge, logger, waitSeconds } = options;
  const after = await readCursor(db);
  const page = CommentPage.parse(
    await edge.get(`/agent/comments?after=${after}&limit=${PAGE_SIZE}&wait=${waitSeconds}`, {
      timeoutMs: (waitSeconds + 15) * 1000,
      ...(options.signal ? { signal: options.signal } : {}),
    }),
  );
  if (page.events.length === 0) return { applied: 0, behind: false };
  const result = await applyEvents(db, page.events, page.next);
  logger.info('comments applied', { ...result, head: page.head });
  await edge.post('/agent/cursor', { cursor: result.cursor }).catch((error: Error) => {
    logger.warn('could not report the cursor to the edge; it will be sent with the next batch', {
      error,
    });
  });
  return { applied: result.applied, behind: page.head > result.cursor };
}

import { AGENT_ROUTES, type CommentPage, type Logger, MAX_PAGE_EVENTS } from '@wp-edge/core';
import { pageAddressesOf } from '../catalog/catalog-sync.ts';
import type { WordPressDb } from '../db/wordpress-db.ts';
import type { EdgeClient } from '../edge/edge-client.ts';
import { markReported, readCursor, unreportedLocations } from './agent-tables.ts';
import { type ApplyResult, applyEvents } from './apply-events.ts';
import { isDataError, quarantineEvent } from './quarantine.ts';

// How long to wait before looking again when a copy of the database is being loaded.
const COPY_WAIT_MS = 500;
// How many pages one pass applies while the log is behind, so the caller's figures stay current.
const PAGES_PER_PASS = 10;

/**
 * The one call after each page applied: this node's cursor, the WordPress ids it gave edge
 * comments, and the pages of the posts whose comments changed, at each of their addresses
 * (every one of them: a page touches at most `MAX_PAGE_EVENTS` posts, two addresses each, what
 * one acknowledgement takes).
 */
async function acknowledge(
  db: WordPressDb,
  edge: EdgeClient,
  nodeId: string,
  result: ApplyResult,
): Promise<void> {
  const applied = await unreportedLocations(db, nodeId, MAX_PAGE_EVENTS);
  const purge = await pageAddressesOf(db, result.posts);
  await edge.call(AGENT_ROUTES.ack, { cursor: result.cursor, applied, purge });
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
  nodeId: string,
  logger: Logger,
  after?: number,
): Promise<ApplyResult & { quarantined: number }> {
  try {
    return { ...(await applyEvents(db, page.events, page.next, nodeId, after)), quarantined: 0 };
  } catch (error) {
    if (!isDataError(error)) throw error;
  }
  const total = { applied: 0, skipped: 0, cursor: page.next, quarantined: 0, copying: false };
  const posts = new Set<number>();
  for (const event of page.events) {
    try {
      const one = await applyEvents(db, [event], event.seq, nodeId);
      if (one.copying) return { ...total, cursor: one.cursor, copying: true, posts: [...posts] };
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

/**
 * Pulls and applies the site's comment log from this database's cursor, up to
 * `PAGES_PER_PASS` pages while more are waiting; `waitSeconds` makes the first pull wait at
 * the edge for new comments. While a page is applied the next is pulled, and while that one
 * is applied the page before is reported to the edge: a pulled page lands only if the
 * database's cursor is still where it was pulled from (`applyEvents`' `after`), else it is
 * dropped and the next pass pulls again. Reports go one after another, each made good by the
 * next if it fails, and all are done when this returns. Returns how many events were applied
 * and whether more are waiting.
 */
export async function pullAndApply(options: {
  db: WordPressDb;
  edge: EdgeClient;
  logger: Logger;
  nodeId: string;
  waitSeconds: number;
  signal?: AbortSignal;
}): Promise<{ applied: number; quarantined: number; behind: boolean; lag: number }> {
  const { db, edge, logger, nodeId, signal } = options;
  const pull = (after: number, wait: number) => {
    const page = edge.call(
      AGENT_ROUTES.comments,
      { after, limit: MAX_PAGE_EVENTS, wait },
      { timeoutMs: (wait + 15) * 1000, ...(signal ? { signal } : {}) },
    );
    // A page pulled ahead may be left unawaited when the pass ends early.
    page.catch(() => {});
    return page;
  };
  const acknowledged = (result: ApplyResult) =>
    acknowledge(db, edge, nodeId, result).catch((error: Error) => {
      logger.warn(
        'could not acknowledge the page to the edge; the next page reports the cursor, and its pages stay cached until they expire',
        { error },
      );
    });
  const total = { applied: 0, quarantined: 0 };
  let after = await readCursor(db);
  let pulling = pull(after, options.waitSeconds);
  let reporting: Promise<void> = Promise.resolve();
  try {
    for (let pages = 1; ; pages++) {
      const page = await pulling;
      if (page.events.length === 0)
        return { ...total, behind: false, lag: Math.max(0, page.head - after) };
      const ahead = page.head > page.next && pages < PAGES_PER_PASS && !signal?.aborted;
      if (ahead) pulling = pull(page.next, 0);
      const result = await applyPage(db, page, nodeId, logger, after);
      if (result.copying) {
        logger.warn(
          'the database is half way through loading a copy (wp_commentmeta and wp_wp_edge_state disagree); comments wait for the load to finish',
        );
        await new Promise((resolve) => setTimeout(resolve, COPY_WAIT_MS));
        return { ...total, behind: true, lag: Math.max(0, page.head - after) };
      }
      logger.info('comments applied', { ...result, head: page.head });
      total.applied += result.applied;
      total.quarantined += result.quarantined;
      reporting = reporting.then(() => acknowledged(result));
      const lag = Math.max(0, page.head - result.cursor);
      if (!ahead || result.cursor !== page.next) return { ...total, behind: lag > 0, lag };
      after = page.next;
    }
  } finally {
    await reporting;
  }
}

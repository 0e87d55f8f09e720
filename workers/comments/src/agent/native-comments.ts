import { createdPayload, type EdgeComment, type NativeCommentsReport, newId } from '@wp-edge/core';
import { commentLocations, commentLog, comments } from '@wp-edge/core/db';
import { and, eq, inArray } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { DrizzleD1Database } from 'drizzle-orm/d1';

import { lookupInChunks } from './lookup-in-chunks.ts';

/** The edge ids this node's WordPress ids stand for, as far as the edge knows them. */
async function locations(db: DrizzleD1Database, nodeId: string, wpIds: number[]) {
  return lookupInChunks<number, string>(wpIds, async (chunk) =>
    (
      await db
        .select({ wpId: commentLocations.wpId, commentId: commentLocations.commentId })
        .from(commentLocations)
        .where(and(eq(commentLocations.nodeId, nodeId), inArray(commentLocations.wpId, chunk)))
    ).map((row) => [row.wpId, row.commentId]),
  );
}

/**
 * Enters comments WordPress wrote on the primary outside the edge into the site's log, as
 * created comments with an edge id, so every node applies them and replies to them thread
 * (the primary's id is recorded as the comment's location there, its parent becomes the
 * parent's edge id). A comment reported again gets the edge id it already has, nothing new.
 */
export async function logNativeComments(
  db: DrizzleD1Database,
  caller: { siteId: string; nodeId: string },
  report: NativeCommentsReport,
  nowMs: number,
) {
  const { siteId, nodeId } = caller;
  const wpIds = [...new Set(report.comments.flatMap((c) => [c.wpId, c.parentWpId]))].filter(
    (id) => id > 0,
  );
  const known = await locations(db, nodeId, wpIds);
  const logged: { wpId: number; commentId: string }[] = [];
  const statements: BatchItem<'sqlite'>[] = [];
  for (const native of report.comments) {
    const existing = known.get(native.wpId);
    if (existing) {
      logged.push({ wpId: native.wpId, commentId: existing });
      continue;
    }
    const { wpId, ...fields } = native;
    const parentEdgeId = native.parentWpId > 0 ? known.get(native.parentWpId) : undefined;
    const comment: EdgeComment = {
      ...fields,
      id: newId(nowMs),
      renderedBy: nodeId,
      ...(parentEdgeId ? { parentEdgeId } : {}),
    };
    // A reply later in the same report finds this one as its parent.
    known.set(wpId, comment.id);
    logged.push({ wpId, commentId: comment.id });
    statements.push(
      db.insert(comments).values({
        ...comment,
        siteId,
        addressKey: 'wordpress',
        createdAt: Date.parse(comment.createdAt),
        updatedAt: nowMs,
      }),
      db.insert(commentLocations).values({ nodeId, wpId, commentId: comment.id }),
      db
        .insert(commentLog)
        .values({
          siteId,
          commentId: comment.id,
          type: 'created',
          payload: createdPayload(comment),
          createdAt: nowMs,
        })
        .returning({ seq: commentLog.seq }),
    );
  }
  const [first, ...rest] = statements;
  const results = first ? await db.batch([first, ...rest]) : [];
  const seqs = results
    .flatMap((result) => (Array.isArray(result) ? result : []))
    .map((row) => (row as { seq: number }).seq);
  return { logged, head: Math.max(0, ...seqs) };
}

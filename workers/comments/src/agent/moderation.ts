import {
  type AgentCaller,
  type CommentStatus,
  type ModerationReport,
  moderatedPayload,
} from '@wp-edge/core';
import { commentLog, comments } from '@wp-edge/core/db';
import { and, eq, inArray } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { DrizzleD1Database } from 'drizzle-orm/d1';

import { lookupInChunks } from './lookup-in-chunks.ts';

/** A status change the owner made, from what the edge had. */
export interface StatusChange {
  commentId: string;
  from: CommentStatus;
  to: CommentStatus;
}

/** Which of these ids are edge comments of the site, with their status, looked up in chunks D1 can bind. */
async function knownIds(db: DrizzleD1Database, siteId: string, ids: string[]) {
  return lookupInChunks<string, CommentStatus>(ids, async (chunk) =>
    (
      await db
        .select({ id: comments.id, status: comments.status })
        .from(comments)
        .where(and(eq(comments.siteId, siteId), inArray(comments.id, chunk)))
    ).map((row) => [row.id, row.status]),
  );
}

/**
 * Records what the owner did to edge comments on the primary: each change updates the
 * comment and enters the site's log, so every other node applies it in order. A change
 * naming an id the edge has no comment of (one WordPress made, say) is skipped and said
 * back, item by item: it never holds back the rest of the report.
 */
export async function applyModeration(
  db: DrizzleD1Database,
  { siteId, nodeId }: Pick<AgentCaller, 'siteId' | 'nodeId'>,
  report: ModerationReport,
  nowMs: number,
) {
  const ids = [...new Set(report.changes.map((change) => change.commentId))];
  const known = await knownIds(db, siteId, ids);
  const changes = report.changes.filter((change) => known.has(change.commentId));
  const at = new Date(nowMs).toISOString();
  const statements: BatchItem<'sqlite'>[] = changes.flatMap((change) => [
    db
      .update(comments)
      .set({
        // The edge keeps a deleted comment as trash: replies to it are refused, its id is never reused.
        ...(change.deleted
          ? { status: 'trash' as const }
          : change.status
            ? { status: change.status }
            : {}),
        ...(change.content !== undefined ? { content: change.content } : {}),
        updatedAt: nowMs,
      })
      .where(and(eq(comments.siteId, siteId), eq(comments.id, change.commentId))),
    db
      .insert(commentLog)
      .values({
        siteId,
        commentId: change.commentId,
        type: 'moderated',
        payload: moderatedPayload({
          commentId: change.commentId,
          ...(change.status ? { status: change.status } : {}),
          ...(change.content !== undefined ? { content: change.content } : {}),
          ...(change.deleted ? { deleted: true as const } : {}),
          at,
          reportedBy: nodeId,
        }),
        createdAt: nowMs,
      })
      .returning({ seq: commentLog.seq }),
  ]);
  const statusChanges: StatusChange[] = [];
  for (const change of changes) {
    const from = known.get(change.commentId);
    if (!from || !change.status || change.deleted || change.status === from) continue;
    statusChanges.push({ commentId: change.commentId, from, to: change.status });
    known.set(change.commentId, change.status);
  }
  const [first, ...rest] = statements;
  const results = first ? await db.batch([first, ...rest]) : [];
  const seqs = results
    .flatMap((result) => (Array.isArray(result) ? result : []))
    .map((row) => (row as { seq: number }).seq);
  return {
    applied: changes.length,
    skipped: ids.filter((id) => !known.has(id)),
    head: Math.max(0, ...seqs),
    statusChanges,
  };
}

import type { ModerationReport } from '@wp-edge/core';
import { commentLog, comments } from '@wp-edge/core/db';
import { and, eq, inArray } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { refuse } from '../intake/refusal.ts';

/**
 * Records what the owner did to edge comments on the primary: each change updates the
 * comment and enters the site's log, so every other node applies it in order. All or
 * nothing: an unknown comment id refuses the whole report.
 */
export async function applyModeration(
  db: DrizzleD1Database,
  siteId: string,
  report: ModerationReport,
  nowMs: number,
) {
  const ids = [...new Set(report.changes.map((change) => change.commentId))];
  const known = await db
    .select({ id: comments.id })
    .from(comments)
    .where(and(eq(comments.siteId, siteId), inArray(comments.id, ids)));
  const unknown = ids.filter((id) => !known.some((row) => row.id === id));
  if (unknown.length > 0) {
    throw refuse(
      422,
      'unknown-comment',
      `no edge comment of this site has the id ${unknown.join(', ')}; nothing was changed`,
    );
  }
  const at = new Date(nowMs).toISOString();
  const statements: BatchItem<'sqlite'>[] = report.changes.flatMap((change) => [
    db
      .update(comments)
      .set({
        ...(change.status ? { status: change.status } : {}),
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
        payload: {
          commentId: change.commentId,
          status: change.status,
          content: change.content,
          at,
        },
        createdAt: nowMs,
      })
      .returning({ seq: commentLog.seq }),
  ]);
  const [first, ...rest] = statements;
  const results = first ? await db.batch([first, ...rest]) : [];
  const seqs = results
    .flatMap((result) => (Array.isArray(result) ? result : []))
    .map((row) => (row as { seq: number }).seq);
  return { applied: report.changes.length, head: Math.max(0, ...seqs) };
}

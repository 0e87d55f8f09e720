import { createdPayload, type EdgeComment, sha256Hex } from '@wp-edge/core';
import { commentLog, comments } from '@wp-edge/core/db';
import { and, count, eq, getTableColumns, gt, notExists, type SQL, sql } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { refuse } from './refusal.ts';

/** WordPress's answer to a comment it already has. */
export const duplicateRefusal = () =>
  refuse(
    409,
    'duplicate',
    'Duplicate comment detected; it looks as though you’ve already said that!',
  );

/** WordPress's answer to a second comment from one address within the flood interval. */
export const floodRefusal = (waitSeconds: number) =>
  refuse(429, 'flood', 'You are posting comments too quickly. Slow down.', {
    'retry-after': String(Math.max(1, Math.ceil(waitSeconds))),
  });

/** The answer to an address that has posted `rateLimitCount` comments within the window. */
export const rateRefusal = (windowSeconds: number) =>
  refuse(429, 'rate-limit', 'You have posted too many comments for now. Please try again later.', {
    'retry-after': String(Math.max(1, Math.round(windowSeconds))),
  });

/** The per-address rules a comment is stored under. */
export interface AddressLimits {
  addressKey: string;
  /** Another comment from the address after this refuses it (the flood interval); undefined when off. */
  floodSinceMs: number | undefined;
  /** `rateLimitCount` comments from the address after this refuse it; a count of 0 turns it off. */
  rateSinceMs: number;
  rateLimitCount: number;
}

/** WordPress's duplicate rule as a key: the same post, author, email and content. */
export async function dedupeKeyOf(comment: {
  postId: number;
  author: string;
  email: string;
  content: string;
}): Promise<string> {
  return sha256Hex([comment.postId, comment.author, comment.email, comment.content].join('\n'));
}

/** `SELECT <values in the table's column order> WHERE <condition>`: an insert that happens only if the condition holds. */
function selectRowWhere(table: SQLiteTable, row: Record<string, unknown>, condition: SQL): SQL {
  const values = Object.entries(getTableColumns(table)).map(([key, column]) => {
    const value = row[key] ?? column.default;
    return value === undefined ? sql`NULL` : sql.param(value, column);
  });
  return sql`SELECT ${sql.join(values, sql`, `)} WHERE ${condition}`;
}

function withinLimits(db: DrizzleD1Database, siteId: string, limits: AddressLimits): SQL {
  const fromAddress = (sinceMs: number) =>
    and(
      eq(comments.siteId, siteId),
      eq(comments.addressKey, limits.addressKey),
      gt(comments.createdAt, sinceMs),
    );
  const recent = db.select({ n: count() }).from(comments).where(fromAddress(limits.rateSinceMs));
  const rate = limits.rateLimitCount > 0 ? sql`(${recent}) < ${limits.rateLimitCount}` : sql`1`;
  if (limits.floodSinceMs === undefined) return rate;
  const flood = db.select({ one: sql`1` }).from(comments).where(fromAddress(limits.floodSinceMs));
  return sql`${notExists(flood)} AND ${rate}`;
}

/**
 * Stores an accepted comment and its log entry in one D1 batch; returns its place in the log.
 * The flood and rate rules are checked inside the batch's insert, so of many comments posted
 * at once from one address only those the rules allow are stored (D1 runs batches one at a
 * time); the unique duplicate index refuses the second of two identical comments.
 */
export async function storeComment(
  db: DrizzleD1Database,
  siteId: string,
  comment: EdgeComment,
  { dedupeKey, nowMs, limits }: { dedupeKey: string; nowMs: number; limits: AddressLimits },
): Promise<number> {
  const row = {
    ...comment,
    siteId,
    dedupeKey,
    addressKey: limits.addressKey,
    createdAt: nowMs,
    updatedAt: nowMs,
  };
  const entry = {
    siteId,
    commentId: comment.id,
    type: 'created',
    payload: createdPayload(comment),
    createdAt: nowMs,
  };
  try {
    const [, logged] = await db.batch([
      db.insert(comments).select(selectRowWhere(comments, row, withinLimits(db, siteId, limits))),
      db
        .insert(commentLog)
        .select(
          selectRowWhere(
            commentLog,
            entry,
            sql`EXISTS (SELECT 1 FROM ${comments} WHERE ${eq(comments.id, comment.id)})`,
          ),
        )
        .returning({ seq: commentLog.seq }),
    ]);
    const seq = logged[0]?.seq;
    if (seq === undefined)
      throw limits.floodSinceMs === undefined
        ? rateRefusal((nowMs - limits.rateSinceMs) / 1000)
        : floodRefusal((nowMs - limits.floodSinceMs) / 1000);
    return seq;
  } catch (error) {
    if (/UNIQUE constraint failed: comments\.site_id, comments\.dedupe_key/.test(String(error)))
      throw duplicateRefusal();
    throw error;
  }
}

import { createdPayload, type EdgeComment, sha256Hex } from '@wp-edge/core';
import { commentLog, comments, preparedQuery, runPrepared } from '@wp-edge/core/db';
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

const placeholder = sql.placeholder;

/**
 * `SELECT <a placeholder per column, named by its key, in the table's order> WHERE <condition>`:
 * an insert that happens only if the condition holds. `rowValues` gives the placeholders' values.
 */
function selectRowWhere(table: SQLiteTable, condition: SQL): SQL {
  const values = Object.entries(getTableColumns(table)).map(([key, column]) =>
    sql.param(placeholder(key), column),
  );
  return sql`SELECT ${sql.join(values, sql`, `)} WHERE ${condition}`;
}

/** A row's value for each of the table's columns, by key: the column's default, or null, where it has none. */
function rowValues(table: SQLiteTable, row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(getTableColumns(table)).map(([key, column]) => [
      key,
      row[key] ?? column.default ?? null,
    ]),
  );
}

/** Which of the per-address rules a comment is stored under: each shape is its own statement. */
interface LimitsShape {
  flood: boolean;
  rate: boolean;
}

/** The insert's condition: no comment from the address in the flood interval, fewer than the rate allows. */
function withinLimits(db: DrizzleD1Database, { flood, rate }: LimitsShape): SQL {
  const fromAddress = (since: string) =>
    and(
      eq(comments.siteId, placeholder('siteId')),
      eq(comments.addressKey, placeholder('addressKey')),
      gt(comments.createdAt, placeholder(since)),
    );
  const recent = db.select({ n: count() }).from(comments).where(fromAddress('rateSinceMs'));
  const rateHolds = rate ? sql`(${recent}) < ${placeholder('rateLimitCount')}` : sql`1`;
  if (!flood) return rateHolds;
  const floodRows = db.select({ one: sql`1` }).from(comments).where(fromAddress('floodSinceMs'));
  return sql`${notExists(floodRows)} AND ${rateHolds}`;
}

const commentInsert = (shape: LimitsShape) =>
  preparedQuery((db) =>
    db.insert(comments).select(selectRowWhere(comments, withinLimits(db, shape))),
  );

const COMMENT_INSERTS = {
  'flood rate': commentInsert({ flood: true, rate: true }),
  flood: commentInsert({ flood: true, rate: false }),
  rate: commentInsert({ flood: false, rate: true }),
  none: commentInsert({ flood: false, rate: false }),
};

function commentInsertFor(limits: AddressLimits) {
  const flood = limits.floodSinceMs !== undefined;
  const rate = limits.rateLimitCount > 0;
  return COMMENT_INSERTS[flood && rate ? 'flood rate' : flood ? 'flood' : rate ? 'rate' : 'none'];
}

/** The comment's log entry, written only if its comment row was. */
const logInsert = preparedQuery((db) =>
  db
    .insert(commentLog)
    .select(
      selectRowWhere(
        commentLog,
        sql`EXISTS (SELECT 1 FROM ${comments} WHERE ${eq(comments.id, placeholder('commentId'))})`,
      ),
    )
    .returning({ seq: commentLog.seq }),
);

/**
 * Stores an accepted comment and its log entry in one D1 batch (statements prepared once per
 * isolate, one per shape of the limits); returns its place in the log.
 * The flood and rate rules are checked inside the batch's insert, so of many comments posted
 * at once from one address only those the rules allow are stored (D1 runs batches one at a
 * time); the unique duplicate index refuses the second of two identical comments.
 */
export async function storeComment(
  d1: D1Database,
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
  const limitValues = {
    rateSinceMs: limits.rateSinceMs,
    floodSinceMs: limits.floodSinceMs ?? null,
    rateLimitCount: limits.rateLimitCount,
  };
  try {
    const [, logged] = await runPrepared(d1, [
      commentInsertFor(limits)(d1, { ...rowValues(comments, row), ...limitValues }),
      logInsert(d1, rowValues(commentLog, entry)),
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

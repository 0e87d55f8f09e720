import { createLogger } from '@wp-edge/core';
import { akismetOutbox } from '@wp-edge/core/db';
import { and, asc, eq, lte } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { submitVerdict } from './akismet.ts';
import { type Verdict, verdictRequests } from './verdict-requests.ts';

const FIRST_RETRY_MS = 5 * 60_000;
const MAX_RETRY_MS = 2 * 3600_000;
/** A verdict Akismet has not taken a day after the first try is given up, with an error log line. */
export const GIVE_UP_AFTER_MS = 24 * 3600_000;
// Each Cron run sends at most this many, so one run stays well inside a Worker's limits.
const PER_RUN = 50;

/** The wait before the next try: 5 minutes, doubling with each failure, at most 2 hours. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/** Keeps a verdict Akismet did not take, for the Cron to send again. */
export async function queueVerdict(
  db: DrizzleD1Database,
  siteId: string,
  { commentId, verdict }: Verdict,
  error: string,
  nowMs: number,
): Promise<void> {
  await db
    .insert(akismetOutbox)
    .values({
      siteId,
      commentId,
      verdict,
      attempts: 1,
      firstFailedAt: nowMs,
      nextAttemptAt: nowMs + retryDelayMs(1),
      lastError: error.slice(0, 500),
    })
    .onConflictDoNothing();
}

const entryOf = (row: { siteId: string; commentId: string; verdict: 'spam' | 'ham' }) =>
  and(
    eq(akismetOutbox.siteId, row.siteId),
    eq(akismetOutbox.commentId, row.commentId),
    eq(akismetOutbox.verdict, row.verdict),
  );

/**
 * Sends again the verdicts whose time has come. One Akismet took is forgotten; one it still
 * does not take waits longer, until a day after its first failure, when it is dropped with an
 * error log line. A verdict whose comment or site key is gone is dropped too.
 */
export async function retryVerdicts(apiUrl: string, db: DrizzleD1Database, nowMs: number) {
  const logger = createLogger({ service: 'comments', part: 'akismet' });
  const due = await db
    .select()
    .from(akismetOutbox)
    .where(lte(akismetOutbox.nextAttemptAt, nowMs))
    .orderBy(asc(akismetOutbox.nextAttemptAt))
    .limit(PER_RUN);
  const outcome = { sent: 0, waiting: 0, givenUp: 0 };
  for (const row of due) {
    const { key, fields } = await verdictRequests(db, row.siteId, [row.commentId]);
    const form = fields.get(row.commentId);
    const error =
      key && form
        ? await submitVerdict(apiUrl, key, row.verdict, form).then(
            () => undefined,
            (failure: unknown) => String(failure),
          )
        : undefined;
    if (error === undefined) {
      await db.delete(akismetOutbox).where(entryOf(row));
      if (key && form) outcome.sent++;
    } else if (nowMs - row.firstFailedAt >= GIVE_UP_AFTER_MS) {
      await db.delete(akismetOutbox).where(entryOf(row));
      outcome.givenUp++;
      logger.error('Akismet verdict given up: not taken for a day', {
        siteId: row.siteId,
        commentId: row.commentId,
        verdict: row.verdict,
        attempts: row.attempts + 1,
        error,
      });
    } else {
      await db
        .update(akismetOutbox)
        .set({
          attempts: row.attempts + 1,
          nextAttemptAt: nowMs + retryDelayMs(row.attempts + 1),
          lastError: error.slice(0, 500),
        })
        .where(entryOf(row));
      outcome.waiting++;
    }
  }
  return outcome;
}

import { createLogger } from '@wp-edge/core';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type { StatusChange } from '../agent/moderation.ts';
import { submitVerdict } from './akismet.ts';
import { queueVerdict } from './verdict-outbox.ts';
import { verdictRequests } from './verdict-requests.ts';

/** What the owner's change tells Akismet: a comment marked spam, or one taken out of spam. */
export function verdictOf(change: StatusChange): 'spam' | 'ham' | undefined {
  if (change.to === 'spam' && change.from !== 'spam') return 'spam';
  if (change.from === 'spam' && (change.to === 'approved' || change.to === 'held')) return 'ham';
  return undefined;
}

/**
 * Sends Akismet the owner's verdicts (`submit-spam`, `submit-ham`) for the site's status
 * changes, when the site has an Akismet key, as WordPress's Akismet plugin does when a comment
 * is marked spam or not spam. The moderation is already stored; a verdict Akismet does not
 * take goes to the outbox, which the Cron sends again (verdict-outbox.ts).
 */
export async function sendAkismetVerdicts(
  apiUrl: string,
  db: DrizzleD1Database,
  siteId: string,
  changes: StatusChange[],
  nowMs = Date.now(),
): Promise<void> {
  const verdicts = changes.flatMap((change) => {
    const verdict = verdictOf(change);
    return verdict ? [{ commentId: change.commentId, verdict }] : [];
  });
  if (verdicts.length === 0) return;
  const { key, fields } = await verdictRequests(
    db,
    siteId,
    verdicts.map((item) => item.commentId),
  );
  if (!key) return;
  const logger = createLogger({ service: 'comments', part: 'akismet' });
  for (const item of verdicts) {
    const form = fields.get(item.commentId);
    if (!form) continue;
    await submitVerdict(apiUrl, key, item.verdict, form).catch(async (error: unknown) => {
      logger.warn('Akismet verdict not taken; the Cron sends it again', { ...item, error });
      await queueVerdict(db, siteId, item, String(error), nowMs);
    });
  }
}

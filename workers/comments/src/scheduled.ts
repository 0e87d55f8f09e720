import { createLogger } from '@wp-edge/core';
import { drizzle } from 'drizzle-orm/d1';
import { checkLag } from './agent/lag-alerts.ts';
import { pruneLogs } from './agent/log-retention.ts';
import { retryVerdicts } from './akismet/verdict-outbox.ts';

/** The daily Cron (wrangler.jsonc) that prunes the logs; the other one only checks lag. */
export const PRUNE_CRON = '23 3 * * *';

/**
 * The comments Worker's Cron work: every few minutes, tell owners of nodes that fell behind
 * the comment log (or caught up) and send Akismet again the verdicts it did not take; once a
 * day, prune what every node has applied.
 */
export async function runScheduled(env: Env, cron: string, nowMs = Date.now()): Promise<void> {
  const db = drizzle(env.DB);
  const logger = createLogger({ service: 'comments', part: 'scheduled' });
  const alerts = await checkLag(db, nowMs);
  if (alerts.length > 0) {
    await env.NOTIFICATIONS.sendBatch(alerts.map((body) => ({ body })));
    logger.warn('nodes behind the comment log, or caught up', {
      alerts: alerts.map(({ kind, nodeId, behind }) => ({ kind, nodeId, behind })),
    });
  }
  const verdicts = await retryVerdicts(env.AKISMET_API_URL, db, nowMs);
  if (verdicts.sent + verdicts.waiting + verdicts.givenUp > 0)
    logger.info('Akismet verdicts sent again', verdicts);
  if (cron === PRUNE_CRON)
    logger.info('comment logs pruned', { pruned: await pruneLogs(db, nowMs) });
}

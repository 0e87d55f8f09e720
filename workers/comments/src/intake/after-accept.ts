import type { SiteSnapshot } from '@wp-edge/core';
import { announce } from '../feed/announce.ts';
import { notificationsFor } from '../notify/notification.ts';
import type { Accepted } from './accept.ts';

/**
 * What follows a stored comment without delaying the answer: waking the agents' pulls and
 * queueing the owner's notifications. Neither can lose the comment, which is already in D1.
 */
export function afterAccept(
  env: Env,
  ctx: { waitUntil(promise: Promise<unknown>): void },
  site: SiteSnapshot,
  accepted: Accepted,
): void {
  const told = announce(env, site.id, accepted.seq);
  if (told) ctx.waitUntil(told);
  const messages = notificationsFor(site, accepted.comment, accepted.permalink);
  if (messages.length > 0)
    ctx.waitUntil(env.NOTIFICATIONS.sendBatch(messages.map((body) => ({ body }))));
}

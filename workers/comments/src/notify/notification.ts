import {
  type CommentWebhook,
  webhookBody as coreWebhookBody,
  type EdgeComment,
  type SiteSnapshot,
} from '@wp-edge/core';

/** A new comment, for the site owner. */
export interface CommentNotification {
  kind: 'comment';
  webhook: CommentWebhook;
  siteId: string;
  comment: EdgeComment;
  permalink: string;
}

/** A node that stopped keeping up with the comment log, or caught up again. */
export interface NodeLagNotification {
  kind: 'node-behind' | 'node-caught-up';
  webhook: CommentWebhook;
  siteId: string;
  nodeId: string;
  /** Log entries the node had yet to apply when this was sent. */
  behind: number;
  /** When the oldest of them was written (ISO time), for `node-behind`. */
  oldestSince?: string;
}

/** One queued delivery to one webhook, retried on its own. */
export type Notification = CommentNotification | NodeLagNotification;

/** The deliveries a new comment causes, per the site's webhooks and `notify` setting. */
export function notificationsFor(
  site: SiteSnapshot,
  comment: EdgeComment,
  permalink: string,
): Notification[] {
  const { webhooks, notify } = site.settings.comments;
  if (notify === 'held' && comment.status === 'approved') return [];
  return webhooks.map((webhook) => ({
    kind: 'comment',
    webhook,
    siteId: site.id,
    comment,
    permalink,
  }));
}

function summary(notification: Notification): string {
  if (notification.kind !== 'comment') {
    const node = `wp-edge: node ${notification.nodeId} of ${notification.siteId}`;
    return notification.kind === 'node-behind'
      ? `${node} is ${notification.behind} comment-log entries behind, the oldest written ${notification.oldestSince}. Its agent, database or link to the edge needs a look.`
      : `${node} has caught up with the comment log.`;
  }
  const { comment, permalink } = notification;
  const state =
    comment.status === 'approved' ? 'New comment' : `New comment (${comment.status}, awaiting you)`;
  const excerpt =
    comment.content.length > 500 ? `${comment.content.slice(0, 500)}…` : comment.content;
  return `${state} by ${comment.author || 'Anonymous'} on ${permalink}\n\n${excerpt}`;
}

function jsonBody(notification: Notification): unknown {
  if (notification.kind === 'comment') {
    const { siteId, permalink, comment } = notification;
    return { event: 'comment.created', site: siteId, permalink, comment };
  }
  const { kind, siteId, nodeId, behind, oldestSince } = notification;
  return {
    event: kind === 'node-behind' ? 'node.behind' : 'node.caught-up',
    site: siteId,
    node: nodeId,
    behind,
    ...(oldestSince ? { oldestSince } : {}),
  };
}

/** The request body for a webhook, in the format it expects. */
export function webhookBody(notification: Notification): string {
  return coreWebhookBody(notification.webhook, summary(notification), jsonBody(notification));
}

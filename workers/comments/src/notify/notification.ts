import type { CommentWebhook, EdgeComment, SiteSnapshot } from '@wp-edge/core';

/** One queued delivery: one comment to one webhook, retried on its own. */
export interface Notification {
  webhook: CommentWebhook;
  siteId: string;
  comment: EdgeComment;
  permalink: string;
}

/** The deliveries a new comment causes, per the site's webhooks and `notify` setting. */
export function notificationsFor(
  site: SiteSnapshot,
  comment: EdgeComment,
  permalink: string,
): Notification[] {
  const { webhooks, notify } = site.settings.comments;
  if (notify === 'held' && comment.status === 'approved') return [];
  return webhooks.map((webhook) => ({ webhook, siteId: site.id, comment, permalink }));
}

function summary({ comment, permalink }: Notification): string {
  const state =
    comment.status === 'approved' ? 'New comment' : `New comment (${comment.status}, awaiting you)`;
  const excerpt =
    comment.content.length > 500 ? `${comment.content.slice(0, 500)}…` : comment.content;
  return `${state} by ${comment.author || 'Anonymous'} on ${permalink}\n\n${excerpt}`;
}

/** The request body for a webhook, in the format it expects. */
export function webhookBody(notification: Notification): string {
  const { webhook, comment, permalink, siteId } = notification;
  if (webhook.format === 'slack') return JSON.stringify({ text: summary(notification) });
  if (webhook.format === 'telegram') {
    return JSON.stringify({
      chat_id: webhook.chatId,
      text: summary(notification),
      disable_web_page_preview: true,
    });
  }
  return JSON.stringify({ event: 'comment.created', site: siteId, permalink, comment });
}

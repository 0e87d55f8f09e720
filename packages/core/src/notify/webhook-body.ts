import type { CommentWebhook } from '../config/site.ts';

/** Slack reads `<…>` as links and mentions (`<!channel>`) and `&` as an entity: text must escape all three. */
function slackEscaped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The request body for one of a site's webhooks, in the format it expects: Slack and Telegram
 * get the sentence for people, a `json` webhook the event for programs.
 * @example
 * webhookBody(webhook, 'node blog-vps is down', { event: 'node.down', node: 'blog-vps' });
 */
export function webhookBody(webhook: CommentWebhook, text: string, event: unknown): string {
  if (webhook.format === 'slack') return JSON.stringify({ text: slackEscaped(text) });
  if (webhook.format === 'telegram')
    return JSON.stringify({ chat_id: webhook.chatId, text, disable_web_page_preview: true });
  return JSON.stringify(event);
}

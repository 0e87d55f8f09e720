import type { Logger } from '@wp-edge/core';
import { type Notification, webhookBody } from './notification.ts';

const MAX_DELAY_SECONDS = 600;

/**
 * Delivers queued notifications; a webhook that fails (network error or non-2xx) is
 * retried later with a growing delay, without holding back the others.
 */
export async function deliverNotifications(
  batch: MessageBatch<Notification>,
  logger: Logger,
): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      const { webhook } = message.body;
      try {
        const response = await fetch(webhook.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: webhookBody(message.body),
          signal: AbortSignal.timeout(10_000),
        });
        if (!response.ok) throw new Error(`answered ${response.status}`);
        message.ack();
      } catch (error) {
        const delaySeconds = Math.min(2 ** message.attempts, MAX_DELAY_SECONDS);
        // Never the URL: Slack's and Telegram's carry the secret that posts to the channel.
        logger.warn('webhook failed; will retry', {
          host: URL.canParse(webhook.url) ? new URL(webhook.url).host : 'unreadable',
          format: webhook.format,
          kind: message.body.kind,
          attempt: message.attempts,
          delaySeconds,
          error,
        });
        message.retry({ delaySeconds });
      }
    }),
  );
}

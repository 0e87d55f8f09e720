import { type SiteSettings, webhookBody } from '@wp-edge/core';
import type { AlertChange } from './alert-book.ts';
import type { Delivery } from './outbox.ts';

const EVENTS = {
  'node-down': ['node.down', 'node.up'],
  'primary-down': ['primary.down', 'primary.up'],
  'all-down': ['site.stale', 'site.fresh'],
  quarantine: ['quarantine.growing', 'quarantine.cleared'],
  'content-behind': ['content.behind', 'content.caught-up'],
  'sync-failed': ['sync.failed', 'sync.recovered'],
  // A one-time notice: it never recovers.
  'edits-kept': ['edits.kept', 'edits.kept'],
} as const;

const AGENT_LOG = 'the agent’s log on the node (journalctl -u wp-edge-agent)';

/** The event name a program reads (`json` webhooks): `node.down`, `node.up`, `site.stale`, … */
export function eventName(change: AlertChange): string {
  return EVENTS[change.condition.kind][change.state === 'opened' ? 0 : 1];
}

/** The sentence a person reads (Slack, Telegram, email). */
export function alertText(siteId: string, change: AlertChange): string {
  const { kind, nodeId, detail } = change.condition;
  const opened = change.state === 'opened';
  const since = `(since ${change.openedAt})`;
  switch (kind) {
    case 'node-down':
      return opened
        ? `wp-edge: node ${nodeId} of ${siteId} is down: ${detail}.`
        : `wp-edge: node ${nodeId} of ${siteId} is up again ${since}.`;
    case 'primary-down':
      return opened
        ? `wp-edge: the primary ${nodeId} of ${siteId} is down; ${detail}.`
        : `wp-edge: the primary ${nodeId} of ${siteId} is back; admin, logins and writes go to it again ${since}.`;
    case 'all-down':
      return opened
        ? `wp-edge: every node of ${siteId} is down; readers get the edge cache’s stale copies where it has them.`
        : `wp-edge: ${siteId} has a node up again; readers get fresh pages ${since}.`;
    case 'quarantine':
      return opened
        ? `wp-edge: node ${nodeId} of ${siteId} has ${detail}; its database refused them. Look at them on the node.`
        : `wp-edge: the quarantine of node ${nodeId} of ${siteId} is empty again ${since}.`;
    case 'content-behind':
      return opened
        ? `wp-edge: node ${nodeId} of ${siteId} has fallen behind the primary’s content: ${detail}. Readers are kept off it while a fresher node is up. Look at ${AGENT_LOG}; wp-edge-agent restore there imports the newest generation by hand.`
        : `wp-edge: node ${nodeId} of ${siteId} has caught up with the primary’s content (behind since ${change.openedAt}).`;
    case 'sync-failed':
      return opened
        ? `wp-edge: the content sync of node ${nodeId} of ${siteId} is failing: ${detail}. The agent tries again by itself; ${AGENT_LOG} says more.`
        : `wp-edge: the content sync of node ${nodeId} of ${siteId} works again (failing since ${change.openedAt}).`;
    case 'edits-kept':
      return `wp-edge: node ${nodeId} of ${siteId} had ${detail}, before the primary’s content replaced it. Those edits are no longer served: carry them to the primary (the folder’s manifest.json lists each table, its CREATE TABLE and the files holding its rows).`;
  }
}

/** The deliveries one change causes: one per site webhook, and one email where configured. */
export function alertDeliveries(
  siteId: string,
  settings: SiteSettings,
  change: AlertChange,
): Delivery[] {
  const event = eventName(change);
  const text = alertText(siteId, change);
  const json = {
    event,
    site: siteId,
    ...(change.condition.nodeId ? { node: change.condition.nodeId } : {}),
    detail: change.condition.detail,
    since: change.openedAt,
    at: change.at,
  };
  const deliveries: Delivery[] = settings.comments.webhooks.map((webhook) => ({
    url: webhook.url,
    event,
    headers: { 'content-type': 'application/json' },
    body: webhookBody(webhook, text, json),
  }));
  const email = settings.alerts.email;
  if (email)
    deliveries.push({
      url: email.url,
      event,
      headers: {
        'content-type': 'application/json',
        ...(email.apiKey ? { authorization: `Bearer ${email.apiKey}` } : {}),
      },
      body: JSON.stringify({ from: email.from, to: email.to, subject: text, text }),
    });
  return deliveries;
}

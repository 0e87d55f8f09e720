import type { SiteSnapshot } from '@wp-edge/core';
import { requireNode, requireSite } from '@wp-edge/core/provision';
import type { CliStore } from './bindings.ts';
import { CliError } from './errors.ts';

const phpString = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

/**
 * The wp-config.php lines the WordPress plugin (integrations/wordpress) reads on one node:
 * the site's origin secret, the node's role, the health path when it is not `/`, and reply
 * notifications when the site offers them (handed to the edge's send_email binding when the
 * site says so).
 */
export function wordpressConstants(site: SiteSnapshot, nodeId: string): string {
  const node = site.nodes.find((candidate) => candidate.id === nodeId);
  if (!node)
    throw new CliError(`there is no node ${nodeId}; list them with: npx wp-edge nodes list`);
  if (!site.originSecret) throw new CliError(`site ${site.id} has no origin secret`);
  const constants: [string, string | true][] = [
    ['WP_EDGE_ORIGIN_SECRET', site.originSecret],
    ['WP_EDGE_ROLE', node.role],
  ];
  if (site.settings.health.probePath !== '/')
    constants.push(['WP_EDGE_HEALTH_PATH', site.settings.health.probePath]);
  if (site.settings.comments.replyNotifications)
    constants.push(['WP_EDGE_REPLY_NOTIFICATIONS', true]);
  if (
    site.settings.comments.replyNotifications &&
    site.settings.comments.replyNotificationsVia === 'email-binding'
  )
    constants.push(['WP_EDGE_REPLY_NOTIFICATIONS_VIA', 'email-binding']);
  return constants
    .map(([name, value]) => `define( '${name}', ${value === true ? 'true' : phpString(value)} );`)
    .join('\n');
}

/** The WordPress plugin's constants for a node, read from D1. */
export async function nodeWordPressConstants(store: CliStore, nodeId: string): Promise<string> {
  const node = await requireNode(store.db, nodeId);
  return wordpressConstants(await requireSite(store.db, node.siteId), nodeId);
}

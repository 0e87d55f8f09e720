import type { SiteStatus } from '@wp-edge/core';
import { table } from '../format.ts';

const when = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '-');
const age = (seconds: number | null) => (seconds === null ? '-' : `${seconds} s ago`);

/** A site's status as text for a terminal: one line per node, then what needs a look. */
export function showStatus(status: SiteStatus): string {
  const down = status.nodes.filter((node) => !node.up).length;
  const lines = [
    `${status.site}: ${down === 0 ? `all ${status.nodes.length} nodes up` : `${down} of ${status.nodes.length} nodes down`} (as of ${when(status.generatedAt)})`,
    table(
      status.nodes.map((node) => ({
        node: node.id,
        role: node.role,
        state: node.up ? 'up' : 'DOWN',
        since: when(node.since),
        heartbeat: age(node.heartbeatAgeSeconds),
        lag: node.lag.entries === null ? '-' : `${node.lag.entries} entries, ${node.lag.seconds} s`,
        quarantined: node.quarantined ?? '-',
        'views copied': when(node.viewsCopiedAt),
        content: node.content.generation
          ? `${node.content.generation} (${node.content.ageSeconds ?? '?'} s old)`
          : '-',
        reason: node.reason,
      })),
    ),
  ];
  const changes = status.nodes
    .flatMap((node) => node.changes.map((change) => ({ ...change, node: node.id })))
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, 10);
  if (changes.length > 0)
    lines.push(
      'last health changes:',
      ...changes.map((c) => `  ${when(c.at)}  ${c.node} ${c.up ? 'up' : 'down'}: ${c.reason}`),
    );
  if (status.deliveryFailures.length > 0)
    lines.push(
      'alert deliveries that failed:',
      ...status.deliveryFailures.map(
        (f) =>
          `  ${when(f.at)}  ${f.event} to ${f.host}: ${f.error}${f.gaveUp ? ' (gave up)' : ''}`,
      ),
    );
  return lines.join('\n');
}

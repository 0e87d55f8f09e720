import type { NodeStatus, SiteStatus } from '@wp-edge/core';
import { ago, escapeHtml, when } from './html.ts';
import { STATUS_CSS } from './status-styles.ts';
import { timeline } from './timeline.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MIN_STRETCH_PERCENT = 0.75;

const state = (up: boolean) =>
  `<span class="state ${up ? 'up' : 'down'}">${up ? 'Up' : 'Down'}</span>`;

function nodeRow(node: NodeStatus): string {
  const lag =
    node.lag.entries === null
      ? 'not reported'
      : `${node.lag.entries} entries, ${ago(node.lag.seconds)} behind`;
  return `<tr><th scope="row">${escapeHtml(node.id)}</th><td>${node.role}</td><td>${state(node.up)}</td><td>${when(node.since)}</td><td>${escapeHtml(node.reason)}</td><td>${node.lastHeartbeat ? `${ago(node.heartbeatAgeSeconds)} ago` : 'none yet'}</td><td>${lag}</td><td class="num">${node.quarantined ?? '—'}</td><td>${when(node.viewsCopiedAt)}</td><td>${content(node.content)}</td></tr>`;
}

const content = ({ generation, ageSeconds }: NodeStatus['content']) =>
  generation ? `${escapeHtml(generation)} (${ago(ageSeconds)} old)` : 'not synced';

function nodeTimeline(node: NodeStatus, nowMs: number): string {
  const sinceMs = nowMs - DAY_MS;
  const stretches = timeline(node.changes, node.up, sinceMs, nowMs);
  const spans = stretches
    .map((s) => {
      // A stretch of a few minutes still shows: a node just gone down must not look all green.
      const width = Math.max(((s.toMs - s.fromMs) / DAY_MS) * 100, MIN_STRETCH_PERCENT);
      return `<span class="${s.up ? 'up' : 'down'}" style="width:${width.toFixed(3)}%" title="${s.up ? 'up' : 'down'} ${when(new Date(s.fromMs).toISOString())} to ${when(new Date(s.toMs).toISOString())}"></span>`;
    })
    .join('');
  const words = stretches
    .map(
      (s) =>
        `<li>${s.up ? 'Up' : 'Down'} from ${when(new Date(s.fromMs).toISOString())} to ${s.toMs >= nowMs ? 'now' : when(new Date(s.toMs).toISOString())}</li>`,
    )
    .join('');
  return `<h3>${escapeHtml(node.id)}</h3><div class="bar" aria-hidden="true">${spans}</div><div class="axis" aria-hidden="true"><span>24 h ago</span><span>now</span></div><ul class="plain">${words}</ul>`;
}

function periodsList(status: SiteStatus): string {
  const items = status.alerts
    .filter((alert) => alert.kind === 'primary-down' || alert.kind === 'all-down')
    .map(
      (alert) =>
        `<li>${alert.kind === 'all-down' ? 'Stale copies served (every node down)' : `Failover: primary ${escapeHtml(alert.nodeId ?? '')} down, ${escapeHtml(alert.detail)}`}: ${when(alert.openedAt)} to ${alert.closedAt ? when(alert.closedAt) : 'now (ongoing)'}</li>`,
    );
  return items.length > 0 ? `<ul>${items.join('')}</ul>` : '<p>None in the last 24 hours.</p>';
}

const COLUMNS: [string, (name: string) => boolean][] = [
  ['Reads', (name) => name === 'route.any'],
  ['Admin and writes', (name) => name === 'route.primary'],
  ['Cache hits', (name) => name === 'cache.hit'],
  ['Misses', (name) => name === 'cache.miss'],
  ['Stale', (name) => name === 'cache.stale'],
  ['Blocked', (name) => name === 'route.blocked'],
  ['Node failures', (name) => name === 'node.failure'],
  ['Comments accepted', (name) => name === 'comment.accepted'],
  ['Held', (name) => name === 'comment.held'],
  ['Refused', (name) => name.startsWith('comment.refused.') || name === 'comment.spam'],
];

function figuresTable(status: SiteStatus, nowMs: number): string {
  const hours = Array.from({ length: 24 }, (_, i) => Math.floor(nowMs / HOUR_MS) - 23 + i);
  const sums = hours.map((hour) =>
    COLUMNS.map(([, match]) =>
      status.figures
        .filter((row) => Math.floor((row.minute * 60_000) / HOUR_MS) === hour && match(row.name))
        .reduce((sum, row) => sum + row.count, 0),
    ),
  );
  const most = Math.max(1, ...sums.map((row) => row[0] ?? 0));
  const rows = hours
    .map((hour, i) => {
      const cells = (sums[i] ?? [])
        .map((n, column) =>
          column === 0
            ? `<td class="num">${n}<span class="meter" style="width:${((n / most) * 6).toFixed(2)}rem"></span></td>`
            : `<td class="num">${n}</td>`,
        )
        .join('');
      return `<tr><th scope="row">${when(new Date(hour * HOUR_MS).toISOString()).slice(11)}</th>${cells}</tr>`;
    })
    .reverse()
    .join('');
  const head = COLUMNS.map(([title]) => `<th scope="col" class="num">${title}</th>`).join('');
  return `<table><caption class="muted">Per hour, newest first</caption><thead><tr><th scope="col">Hour</th>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

function heldList(status: SiteStatus): string {
  const { held, latestHeld } = status.comments;
  if (held === 0) return '<p>No comments await moderation.</p>';
  const items = latestHeld
    .map(
      (c) =>
        `<li>${escapeHtml(c.author || 'Anonymous')} on post ${c.postId}, ${when(c.at)}: “${escapeHtml(c.excerpt)}”</li>`,
    )
    .join('');
  return `<p>${held} ${held === 1 ? 'comment awaits' : 'comments await'} moderation in wp-admin on the primary.</p><ul>${items}</ul>`;
}

function viewsPart(status: SiteStatus): string {
  if (!status.views) return '<p>The views Worker did not answer.</p>';
  const top = status.views.top
    .map(
      (post) =>
        `<li>${post.permalink ? `<a href="${escapeHtml(post.permalink)}">${escapeHtml(post.permalink)}</a>` : `post ${post.postId}`}: ${post.views}</li>`,
    )
    .join('');
  return `<p>${status.views.today} views today.</p>${top ? `<h3>Top posts today</h3><ol>${top}</ol>` : ''}`;
}

function alertsPart(status: SiteStatus): string {
  const open = status.alerts.filter((alert) => !alert.closedAt);
  const openList =
    open.length > 0
      ? `<ul>${open.map((a) => `<li>${escapeHtml(a.kind)}${a.nodeId ? ` (${escapeHtml(a.nodeId)})` : ''}: ${escapeHtml(a.detail)}, since ${when(a.openedAt)}</li>`).join('')}</ul>`
      : '<p>No alert is open.</p>';
  const failures =
    status.deliveryFailures.length > 0
      ? `<h3>Alert deliveries that failed</h3><table><thead><tr><th scope="col">When</th><th scope="col">To</th><th scope="col">Alert</th><th scope="col">Error</th><th scope="col">Attempt</th></tr></thead><tbody>${status.deliveryFailures.map((f) => `<tr><td>${when(f.at)}</td><td>${escapeHtml(f.host)}</td><td>${escapeHtml(f.event)}</td><td>${escapeHtml(f.error)}</td><td>${f.attempt}${f.gaveUp ? ' (gave up)' : ''}</td></tr>`).join('')}</tbody></table>`
      : '<p>Every alert delivery went through.</p>';
  return openList + failures;
}

/** The status page: server-rendered HTML and CSS, with state in words as well as colour. */
export function statusPage(status: SiteStatus): string {
  const nowMs = Date.parse(status.generatedAt);
  const down = status.nodes.filter((node) => !node.up).length;
  const summary =
    down === 0
      ? `All ${status.nodes.length} nodes are up.`
      : `${down} of ${status.nodes.length} nodes ${down === 1 ? 'is' : 'are'} down.`;
  const changes = status.nodes
    .flatMap((node) => node.changes.map((change) => ({ ...change, node: node.id })))
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, 20)
    .map(
      (c) =>
        `<li>${when(c.at)}: ${escapeHtml(c.node)} ${c.up ? 'up' : 'down'} (${escapeHtml(c.reason)})</li>`,
    )
    .join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(status.site)}: wp-edge status</title><style>${STATUS_CSS}</style></head>
<body><header><h1>Status of ${escapeHtml(status.site)}</h1><p class="summary">${state(down === 0)} ${summary}</p><p class="muted">As of ${when(status.generatedAt)}. Reload for the latest.</p></header>
<main>
<section aria-labelledby="nodes"><h2 id="nodes">Nodes</h2><table><thead><tr><th scope="col">Node</th><th scope="col">Role</th><th scope="col">State</th><th scope="col">Since</th><th scope="col">Reason</th><th scope="col">Last heartbeat</th><th scope="col">Comment-log lag</th><th scope="col" class="num">Quarantined</th><th scope="col">Last views copy</th><th scope="col">Content</th></tr></thead><tbody>${status.nodes.map(nodeRow).join('')}</tbody></table></section>
<section aria-labelledby="timeline"><h2 id="timeline">The last 24 hours</h2>${status.nodes.map((node) => nodeTimeline(node, nowMs)).join('')}</section>
<section aria-labelledby="failovers"><h2 id="failovers">Failovers and stale copies</h2>${periodsList(status)}</section>
<section aria-labelledby="alerts"><h2 id="alerts">Alerts</h2>${alertsPart(status)}</section>
<section aria-labelledby="changes"><h2 id="changes">Health changes</h2>${changes ? `<ul>${changes}</ul>` : '<p>No changes in the last 24 hours.</p>'}</section>
<section aria-labelledby="traffic"><h2 id="traffic">Traffic at the edge</h2>${figuresTable(status, nowMs)}</section>
<section aria-labelledby="moderation"><h2 id="moderation">Comments held for moderation</h2>${heldList(status)}</section>
<section aria-labelledby="views"><h2 id="views">Views</h2>${viewsPart(status)}</section>
</main></body></html>`;
}

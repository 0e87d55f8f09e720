import { ProblemError } from '@wp-edge/core';
import { isStale } from './content-freshness.ts';
import { isUp } from './health/health-copy.ts';
import { markCommentForms } from './mark-comment-forms.ts';
import { NodeUnreachable, proxyToNode } from './origin-proxy.ts';
import { readerOrder } from './pick-node.ts';
import { type Routing, reportFailure } from './routing.ts';

const MAX_READ_ATTEMPTS = 2;
// A reader waits at most this long for one node before the router tries another.
const READ_TIMEOUT_MS = 10_000;

/** What a reader is told when no node answered: which node and why stay in the logs. */
const unreachableProblem = () =>
  new ProblemError(502, 'the site’s server could not be reached; try again in a moment', {
    headers: { 'retry-after': '5' },
  });

/**
 * Anonymous reads: a healthy node with fresh content by weight (a node whose content is too
 * old only when no fresher one is up); a failure to connect or a 5xx is tried once on another.
 */
export async function toAnyNode(routing: Routing): Promise<Response> {
  const order = readerOrder(routing.site);
  const up = order.filter((node) => isUp(routing.health, node.id));
  const stale = (id: string) => isStale(routing.site, routing.health, id);
  const healthyFirst = [
    ...up.filter((node) => !stale(node.id)),
    ...up.filter((node) => stale(node.id)),
    ...order.filter((node) => !isUp(routing.health, node.id)),
  ];
  const nodes = healthyFirst.slice(0, MAX_READ_ATTEMPTS);
  for (const [attempt, node] of nodes.entries()) {
    const last = attempt === nodes.length - 1;
    try {
      const response = await proxyToNode(
        routing.c.req.raw,
        node,
        routing.site.originSecret,
        READ_TIMEOUT_MS,
      );
      if (response.status < 500) return markCommentForms(response, node);
      reportFailure(routing, node, {
        kind: 'server error',
        detail: `answered ${response.status}`,
      });
      if (last) return markCommentForms(response, node);
      await response.body?.cancel();
    } catch (error) {
      if (!(error instanceof NodeUnreachable)) throw error;
      reportFailure(routing, node, { kind: 'unreachable', detail: error.message });
      if (last) throw unreachableProblem();
    }
  }
  throw new ProblemError(
    503,
    `site ${routing.site.id} has no nodes to read from; add one with: npx wp-edge nodes add`,
    {
      headers: { 'retry-after': '60' },
    },
  );
}

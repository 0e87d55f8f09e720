import { isUp } from './health/health-copy.ts';
import { maintenanceAnswer } from './maintenance.ts';
import { markCommentForms } from './mark-comment-forms.ts';
import { NodeUnreachable, proxyToNode } from './origin-proxy.ts';
import { primaryOf, type SiteNode, standbyOf } from './pick-node.ts';
import { type Routing, reportFailure } from './routing.ts';

/** The header that tells the client which node answered in the primary's place. */
const STANDBY_HEADER = 'x-wp-edge-standby';

function fromStandby(response: Response, standby: SiteNode): Response {
  const marked = new Response(response.body, response);
  marked.headers.set(STANDBY_HEADER, standby.id);
  return marked;
}

/**
 * Admin, logins, writes and sessions: the primary; while it is down, the site's standby if it
 * has one, else the maintenance answer. Only a GET or HEAD whose primary fails to connect is
 * sent on to the standby at once: a write's body may already be half sent.
 */
export async function toPrimary(routing: Routing): Promise<Response> {
  const request = routing.c.req.raw;
  const standby = standbyOf(routing.site);
  const owners = [primaryOf(routing.site), standby].filter(
    (node): node is SiteNode => node !== undefined && isUp(routing.health, node.id),
  );
  const idempotent = request.method === 'GET' || request.method === 'HEAD';
  for (const node of idempotent ? owners : owners.slice(0, 1)) {
    try {
      const response = markCommentForms(
        await proxyToNode(request, node, routing.site.originSecret),
        node,
      );
      return node === standby ? fromStandby(response, node) : response;
    } catch (error) {
      if (!(error instanceof NodeUnreachable)) throw error;
      reportFailure(routing, node, { kind: 'unreachable', detail: error.message });
    }
  }
  return maintenanceAnswer(request);
}

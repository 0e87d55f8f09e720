import {
  createWorkerApp,
  type NodeHealth,
  ProblemError,
  type SiteSnapshot,
  siteForHost,
} from '@wp-edge/core';
import type { Context } from 'hono';
import { classify } from './classify.ts';
import { siteCache } from './edge-cache.ts';
import { edgeHealth } from './edge-health.ts';
import { guard, securityHeaders } from './edge-security.ts';
import { healthCopy, isUp } from './health/health-copy.ts';
import { registryOf } from './health/node-registry.ts';
import { probeNodes } from './health/probe-nodes.ts';
import { maintenanceAnswer } from './maintenance.ts';
import { markCommentForms } from './mark-comment-forms.ts';
import { proxyToNode } from './origin-proxy.ts';
import { primaryOf, readerOrder, type SiteNode, standbyOf } from './pick-node.ts';
import { agentHealthRoutes } from './routes-agent-health.ts';
import { workerRoutes } from './worker-routes.ts';

type RouterEnv = { Bindings: Env };

/** wp-edge router: every request of a site comes here and goes to a node or a wp-edge Worker. */
const app = createWorkerApp<RouterEnv>('router', { health: edgeHealth });

app.use('*', securityHeaders);
app.route('/', workerRoutes);
app.route('/agent', agentHealthRoutes);

const MAX_READ_ATTEMPTS = 2;
// A reader waits at most this long for one node before the router tries another.
const READ_TIMEOUT_MS = 10_000;

interface Routing {
  c: Context<RouterEnv>;
  site: SiteSnapshot;
  health: Record<string, NodeHealth>;
}

/** A failure seen on live traffic counts against the node, without holding up the answer. */
function reportFailure({ c, site }: Routing, node: SiteNode, detail: string): void {
  c.executionCtx.waitUntil(
    registryOf(c.env, site.id).record(node.id, false, detail, 'traffic', site.settings.health),
  );
}

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
async function toPrimary(routing: Routing): Promise<Response> {
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
      if (!(error instanceof ProblemError && error.status === 502)) throw error;
      reportFailure(routing, node, error.detail);
    }
  }
  return maintenanceAnswer(request);
}

/** Anonymous reads: a healthy node by weight; a failure to connect or a 5xx is tried once on another. */
async function toAnyNode(routing: Routing): Promise<Response> {
  const order = readerOrder(routing.site);
  const healthyFirst = [
    ...order.filter((node) => isUp(routing.health, node.id)),
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
      reportFailure(routing, node, `answered ${response.status}`);
      if (last) return markCommentForms(response, node);
      await response.body?.cancel();
    } catch (error) {
      reportFailure(routing, node, (error as Error).message);
      if (last) throw error;
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

app.all('*', async (c) => {
  const url = new URL(c.req.url);
  const site = await siteForHost(c.env.SITE_CONFIG, url.hostname);
  await guard(c.req.raw, url, site, c.env);
  const waitUntil = (promise: Promise<unknown>) => c.executionCtx.waitUntil(promise);
  const copy = healthCopy(c.env, site.id, waitUntil);
  const routing: Routing = { c, site, health: copy.health };
  const { destination, cacheable } = classify(c.req.method, url, c.req.raw.headers);
  if (destination === 'primary') return toPrimary(routing);
  if (!cacheable) return toAnyNode(routing);
  const cache = siteCache(site, copy, waitUntil);
  const hit = await cache.lookup(url);
  if (hit) return hit;
  if (!site.nodes.some((node) => node.weight > 0 && isUp(copy.health, node.id))) {
    // Every node is known to be down: the stale copy now, not after the nodes time out.
    const stale = await cache.stale(url);
    if (stale) return stale;
  }
  let response: Response;
  try {
    response = await toAnyNode(routing);
  } catch (error) {
    const stale = await cache.stale(url);
    if (stale) return stale;
    throw error;
  }
  if (response.status >= 500) {
    const stale = await cache.stale(url);
    if (stale) return stale;
  }
  return cache.store(url, c.req.method, response);
});

export { NodeRegistry } from './health/node-registry.ts';
export default {
  fetch: app.fetch,
  scheduled: async (_controller, env, ctx) => ctx.waitUntil(probeNodes(env)),
} satisfies ExportedHandler<Env>;

import { createWorkerApp, findSite, ProblemError, type SiteSnapshot } from '@wp-edge/core';
import { classify } from './classify.ts';
import { edgeHealth } from './edge-health.ts';
import { guard, withSecurityHeaders } from './edge-security.ts';
import { maintenanceAnswer } from './maintenance.ts';
import { markCommentForms } from './mark-comment-forms.ts';
import { proxyToNode } from './origin-proxy.ts';
import { primaryOf, readerOrder } from './pick-node.ts';
import { workerRoutes } from './worker-routes.ts';

/** wp-edge router: every request of a site comes here and goes to a node or a wp-edge Worker. */
const app = createWorkerApp<{ Bindings: Env }>('router', { health: edgeHealth });

app.route('/', workerRoutes);

const MAX_READ_ATTEMPTS = 2;

/** Admin, logins, writes and sessions: the primary, or the maintenance answer when it is away. */
async function toPrimary(request: Request, site: SiteSnapshot): Promise<Response> {
  const primary = primaryOf(site);
  if (!primary) return maintenanceAnswer(request);
  try {
    return markCommentForms(await proxyToNode(request, primary), primary);
  } catch (error) {
    if (error instanceof ProblemError && error.status === 502) return maintenanceAnswer(request);
    throw error;
  }
}

/** Anonymous reads: a node by weight; a failure to connect or a 5xx is tried once on another. */
async function toAnyNode(request: Request, site: SiteSnapshot): Promise<Response> {
  const nodes = readerOrder(site).slice(0, MAX_READ_ATTEMPTS);
  for (const [attempt, node] of nodes.entries()) {
    const last = attempt === nodes.length - 1;
    try {
      const response = await proxyToNode(request, node);
      if (response.status < 500 || last) return markCommentForms(response, node);
      await response.body?.cancel();
    } catch (error) {
      if (last) throw error;
    }
  }
  throw new ProblemError(
    503,
    `site ${site.id} has no nodes to read from; add one with: npx wp-edge nodes add`,
    {
      headers: { 'retry-after': '60' },
    },
  );
}

app.all('*', async (c) => {
  const url = new URL(c.req.url);
  const site = await findSite(c.env.SITE_CONFIG, url.hostname);
  if (!site) {
    throw new ProblemError(
      404,
      `no site is configured for host ${url.hostname}; add one with: npx wp-edge sites add`,
    );
  }
  await guard(c.req.raw, url, site, c.env);
  const { destination } = classify(c.req.method, url, c.req.header('cookie') ?? null);
  const response =
    destination === 'primary' ? await toPrimary(c.req.raw, site) : await toAnyNode(c.req.raw, site);
  return withSecurityHeaders(response, url);
});

export default app;

import { createWorkerApp, findSite, ProblemError } from '@wp-edge/core';
import { edgeHealth } from './edge-health.ts';
import { markCommentForms } from './mark-comment-forms.ts';
import { proxyToNode } from './origin-proxy.ts';
import { pickNode } from './pick-node.ts';
import { workerRoutes } from './worker-routes.ts';

/** wp-edge router: every request of a site comes here and goes to a node or a wp-edge Worker. */
const app = createWorkerApp<{ Bindings: Env }>('router', { health: edgeHealth });

app.route('/', workerRoutes);

app.all('*', async (c) => {
  const host = new URL(c.req.url).hostname;
  const site = await findSite(c.env.SITE_CONFIG, host);
  if (!site) {
    throw new ProblemError(
      404,
      `no site is configured for host ${host}; add one with: npx wp-edge sites add`,
    );
  }
  const node = pickNode(site);
  if (!node) {
    throw new ProblemError(
      503,
      `site ${site.id} has no nodes yet; add one with: npx wp-edge nodes add`,
      { headers: { 'retry-after': '60' } },
    );
  }
  return markCommentForms(await proxyToNode(c.req.raw, node), node);
});

export default app;

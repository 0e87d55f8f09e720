import { AGENT_ROUTES, createWorkerApp, requestUrl, SYNC_PATHS } from '@wp-edge/core';
import { agentGateway } from './agent-gateway/index.ts';
import { edgeHealth } from './edge-health.ts';
import { refuseOddPaths, securityHeaders } from './edge-security.ts';
import { keepFigures } from './figures/request-figures.ts';
import { startSiteProbes } from './health/probe-starts.ts';
import { wipeRemovedSites } from './removed-sites.ts';
import type { RouterEnv } from './routing.ts';
import { sitePath } from './site-path.ts';
import { siteRequests } from './site-requests.ts';
import { statusRoutes } from './status/status-routes.ts';
import { workerRoutes } from './worker-routes.ts';

/**
 * wp-edge router: every request of a site comes here and goes to a node or a wp-edge Worker.
 * Routes match the path as the node's web server would resolve it, so `//wp-comments-post.php`
 * reaches the comments Worker as surely as `/wp-comments-post.php`.
 */
const app = createWorkerApp<RouterEnv>('router', {
  health: edgeHealth,
  getPath: (request) => sitePath(requestUrl(request)),
  first: [securityHeaders, refuseOddPaths],
  // The agent API serves no site's readers: the node's key says which site, whatever host
  // name the agent reaches the edge by.
  site: {
    except: [
      ...Object.values(AGENT_ROUTES).map((route) => route.path),
      ...Object.values(SYNC_PATHS),
    ],
  },
});

app.route('/__wp-edge', statusRoutes);
app.route('/', agentGateway);
app.route('/', workerRoutes);
app.route('/', siteRequests);

export { PagePurges } from './cache/page-purges.ts';
export { NodeRegistry } from './health/node-registry.ts';
export default {
  fetch: app.fetch,
  scheduled: async (_controller, env, ctx) =>
    ctx.waitUntil(Promise.all([startSiteProbes(env), wipeRemovedSites(env), keepFigures(env)])),
} satisfies ExportedHandler<Env>;

import { type Env, Hono, type MiddlewareHandler } from 'hono';
import { TrieRouter } from 'hono/router/trie-router';
import { siteFromHost } from './config/site-from-host.ts';
import { problemErrorHandler, problemNotFound } from './errors/handler.ts';
import { HEALTH_PATH, healthRoutes } from './health.ts';
import { createLogger } from './logger.ts';

/**
 * `middleware` on every path but `paths` (Hono patterns on `c.req.path`): what `hono/combine`'s
 * `except` does, without the two layers of composed middleware it puts on every request.
 */
function exceptOn<E extends Env>(
  paths: string[],
  middleware: MiddlewareHandler<E>,
): MiddlewareHandler<E> {
  const excepted = new TrieRouter<true>();
  for (const path of paths) excepted.add('ALL', path, true);
  return (c, next) =>
    excepted.match('ALL', c.req.path)[0].length > 0 ? next() : middleware(c, next);
}

/**
 * The Hono app every wp-edge Worker starts from: its health check at `HEALTH_PATH`,
 * problem+json for every error and unknown route, and JSON logs naming the Worker. With
 * `site`, every request but the health check and the `site.except` paths first has its site
 * found by host name and put on `c.var.site` (404 for a host no site claims).
 * @example
 * const app = createWorkerApp<{ Bindings: Env; Variables: SiteVariables }>('views', {
 *   site: { except: ['/api/views/client.js'] },
 * });
 * app.get('/api/views/site', (c) => c.json({ site: c.var.site.id }));
 */
export function createWorkerApp<E extends Env>(
  service: string,
  options: {
    health?: Hono<E>;
    /** The path routes match, when it is not the URL's own (the router resolves it first). */
    getPath?: (request: Request) => string;
    /** Find the site of every request, except on these paths (Hono patterns, matched on the routed path). */
    site?: { except?: string[] };
    /** Middleware every request but the health check passes before the site lookup (the router's edge security). */
    first?: MiddlewareHandler<E>[];
  } = {},
): Hono<E> {
  const app = options.getPath ? new Hono<E>({ getPath: options.getPath }) : new Hono<E>();
  app.route(HEALTH_PATH, options.health ?? healthRoutes<E>(service));
  for (const middleware of options.first ?? []) app.use(middleware);
  // `exceptOn` matches `c.req.path`, which is the routed path (`getPath`'s when there is one).
  if (options.site)
    app.use(exceptOn([HEALTH_PATH, ...(options.site.except ?? [])], siteFromHost()));
  app.onError(problemErrorHandler(createLogger({ service })));
  app.notFound(problemNotFound);
  return app;
}

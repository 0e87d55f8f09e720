import { type Env, Hono } from 'hono';
import { problemErrorHandler, problemNotFound } from './errors/handler.ts';
import { HEALTH_PATH, healthRoutes } from './health.ts';
import { createLogger } from './logger.ts';

/**
 * The Hono app every wp-edge Worker starts from: its health check at `HEALTH_PATH`,
 * problem+json for every error and unknown route, and JSON logs naming the Worker.
 * @example
 * const app = createWorkerApp<{ Bindings: Env }>('views');
 * app.route('/api/views', viewsRoutes);
 * export default app;
 */
export function createWorkerApp<E extends Env>(
  service: string,
  options: {
    health?: Hono<E>;
    /** The path routes match, when it is not the URL's own (the router resolves it first). */
    getPath?: (request: Request) => string;
  } = {},
): Hono<E> {
  const app = options.getPath ? new Hono<E>({ getPath: options.getPath }) : new Hono<E>();
  app.route(HEALTH_PATH, options.health ?? healthRoutes<E>(service));
  app.onError(problemErrorHandler(createLogger({ service })));
  app.notFound(problemNotFound);
  return app;
}

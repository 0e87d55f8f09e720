import {
  createLogger,
  HEALTH_PATH,
  healthRoutes,
  problemErrorHandler,
  problemNotFound,
} from '@wp-edge/core';
import { Hono } from 'hono';

/** wp-edge comments Worker: Accepts comments at the edge and serves them to every node's origin agent. */
const app = new Hono<{ Bindings: Env }>();

app.route(HEALTH_PATH, healthRoutes('comments'));

app.onError(problemErrorHandler(createLogger({ service: 'comments' })));
app.notFound(problemNotFound);

export default app;

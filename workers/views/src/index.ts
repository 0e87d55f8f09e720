import {
  createLogger,
  HEALTH_PATH,
  healthRoutes,
  problemErrorHandler,
  problemNotFound,
} from '@wp-edge/core';
import { Hono } from 'hono';

/** wp-edge views Worker: Exact page-view and unique-visitor counts. */
const app = new Hono<{ Bindings: Env }>();

app.route(HEALTH_PATH, healthRoutes('views'));

app.onError(problemErrorHandler(createLogger({ service: 'views' })));
app.notFound(problemNotFound);

export default app;

import {
  createLogger,
  HEALTH_PATH,
  healthRoutes,
  problemErrorHandler,
  problemNotFound,
} from '@wp-edge/core';
import { Hono } from 'hono';

/** wp-edge images Worker: A random image API over R2. */
const app = new Hono<{ Bindings: Env }>();

app.route(HEALTH_PATH, healthRoutes('images'));

app.onError(problemErrorHandler(createLogger({ service: 'images' })));
app.notFound(problemNotFound);

export default app;

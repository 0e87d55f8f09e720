import { type Env, Hono } from 'hono';

/** Where every wp-edge Worker answers its health check; no WordPress URL starts with it. */
export const HEALTH_PATH = '/__wp-edge/health';

/** What every Worker answers at `GET /__wp-edge/health`. */
export interface HealthAnswer {
  service: string;
  status: 'ok';
  time: string;
}

/**
 * A sub-app answering a Worker's health check, mounted at `HEALTH_PATH`.
 * @example
 * app.route(HEALTH_PATH, healthRoutes('views'));
 */
export function healthRoutes<E extends Env = Env>(service: string): Hono<E> {
  return new Hono<E>().get('/', (c) =>
    c.json<HealthAnswer>({ service, status: 'ok', time: new Date().toISOString() }, 200, {
      'cache-control': 'no-store',
    }),
  );
}

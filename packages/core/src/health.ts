import { Hono } from 'hono';

/** What every Worker answers at `GET /health`. */
export interface HealthAnswer {
  service: string;
  status: 'ok';
  time: string;
}

/**
 * A sub-app serving `GET /health` for a Worker, mounted with `app.route('/health', …)`.
 * @example
 * app.route('/health', healthRoutes('views'));
 */
export function healthRoutes(service: string): Hono {
  return new Hono().get('/', (c) =>
    c.json<HealthAnswer>({ service, status: 'ok', time: new Date().toISOString() }, 200, {
      'cache-control': 'no-store',
    }),
  );
}

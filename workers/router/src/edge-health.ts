import { HEALTH_PATH } from '@wp-edge/core';
import { Hono } from 'hono';
import type { RouterEnv } from './routing.ts';

type WorkerState = 'ok' | 'unreachable';

const CHECK_TIMEOUT_MS = 2_000;

async function check(worker: Fetcher): Promise<WorkerState> {
  try {
    const response = await worker.fetch(`https://wp-edge.internal${HEALTH_PATH}`, {
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.ok ? 'ok' : 'unreachable';
  } catch {
    return 'unreachable';
  }
}

/** The router's health check, which also asks each Worker behind it: 503 if any is away. */
export const edgeHealth = new Hono<RouterEnv>().get('/', async (c) => {
  const [comments, views, images] = await Promise.all(
    [c.env.COMMENTS, c.env.VIEWS, c.env.IMAGES].map(check),
  );
  const workers = { comments, views, images };
  const healthy = Object.values(workers).every((state) => state === 'ok');
  return c.json(
    {
      service: 'router',
      status: healthy ? 'ok' : 'degraded',
      workers,
      time: new Date().toISOString(),
    },
    healthy ? 200 : 503,
    { 'cache-control': 'no-store' },
  );
});

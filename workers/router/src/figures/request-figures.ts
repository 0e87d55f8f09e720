import { figureCounter, pruneFigures } from '@wp-edge/core/db';
import { drizzle } from 'drizzle-orm/d1';
import type { Context } from 'hono';
import type { RouterEnv } from '../routing.ts';

/** What the router counts per site and minute (db/README.md: `edge_figures`). */
export type RequestFigure =
  | 'route.primary'
  | 'route.any'
  | 'route.blocked'
  | 'cache.hit'
  | 'cache.miss'
  | 'cache.stale'
  | 'node.failure';

/** This isolate's tally of the router's figures. */
export const requestFigures = figureCounter();

/** Counts one of the router's figures for a site, without a query on the request. */
export function countRequest(c: Context<RouterEnv>, siteId: string, figure: RequestFigure): void {
  requestFigures.count(c.env.DB, (promise) => c.executionCtx.waitUntil(promise), siteId, figure);
}

const CACHE_FIGURES: Record<string, RequestFigure> = {
  HIT: 'cache.hit',
  MISS: 'cache.miss',
  STALE: 'cache.stale',
};

/** Counts how the edge cache answered a cacheable read (`x-wp-edge-cache`). */
export function countCacheAnswer(c: Context<RouterEnv>, siteId: string, response: Response): void {
  const figure = CACHE_FIGURES[response.headers.get('x-wp-edge-cache') ?? ''];
  if (figure) countRequest(c, siteId, figure);
}

const KEPT_MS = 24 * 3_600_000;

/** The Cron's share: this isolate's tally written, and figures older than 24 h dropped. */
export async function keepFigures(env: Env, nowMs = Date.now()): Promise<void> {
  await requestFigures.flush(env.DB);
  await pruneFigures(drizzle(env.DB), nowMs - KEPT_MS);
}

import { requestUrl } from '@wp-edge/core';
import { Hono } from 'hono';
import { classify } from './classify.ts';
import { guard } from './edge-security.ts';
import { countCacheAnswer, countRequest } from './figures/request-figures.ts';
import { healthCopy } from './health/health-copy.ts';
import { toAnyNode } from './reads.ts';
import type { RouterEnv, Routing } from './routing.ts';
import { cachedRead } from './stale-copies.ts';
import { toPrimary } from './writes.ts';

/**
 * Every other request on a site's host: guarded, classified, then sent to the primary
 * (`writes.ts`), any node (`reads.ts`) or through the edge cache (`stale-copies.ts`).
 */
export const siteRequests = new Hono<RouterEnv>().all('*', async (c) => {
  const url = requestUrl(c.req.raw);
  const { site } = c.var;
  await guard(c.req.raw, url, site, c.env).catch((error: unknown) => {
    countRequest(c, site.id, 'route.blocked');
    throw error;
  });
  // Node health is only read for requests that may go to a node: an edge-cache hit needs none.
  const routing = async (): Promise<Routing> => ({
    c,
    site,
    health: await healthCopy(c.env, site.id, (promise) => c.executionCtx.waitUntil(promise)),
  });
  const { destination, cacheable } = classify(c.req.method, url, c.req.raw.headers);
  countRequest(c, site.id, destination === 'primary' ? 'route.primary' : 'route.any');
  if (destination === 'primary') return toPrimary(await routing());
  if (!cacheable) return toAnyNode(await routing());
  const response = await cachedRead(c, url, routing);
  countCacheAnswer(c, site.id, response);
  return response;
});

import { ProblemError, type SiteSnapshot, type SiteVariables } from '@wp-edge/core';
import { createMiddleware } from 'hono/factory';

export type ViewsEnv = { Bindings: Env; Variables: SiteVariables };

/** Whether an Origin (or Referer) URL is one of the site's own pages. */
export function isSiteUrl(value: string, site: SiteSnapshot): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    (url.protocol === 'https:' || url.protocol === 'http:') && site.hosts.includes(url.hostname)
  );
}

/** Answers CORS for the site's own origins only (the site is on the context: `createWorkerApp`). */
export const siteCors = createMiddleware<ViewsEnv>(async (c, next) => {
  const { site } = c.var;
  const origin = c.req.header('origin');
  const allowed = origin !== undefined && isSiteUrl(origin, site);
  if (c.req.method === 'OPTIONS') {
    if (!allowed)
      throw new ProblemError(
        403,
        'cross-origin requests are accepted from the site’s own pages only',
      );
    return c.body(null, 204, {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '86400',
      vary: 'Origin',
    });
  }
  await next();
  // In place: every answer here is the Worker's own, and `c.header` would copy it per header.
  c.res.headers.set('vary', 'Origin');
  if (allowed) c.res.headers.set('access-control-allow-origin', origin);
});

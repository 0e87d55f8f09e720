import { findSite, ProblemError, type SiteSnapshot } from '@wp-edge/core';
import { createMiddleware } from 'hono/factory';

export type ViewsEnv = { Bindings: Env; Variables: { site: SiteSnapshot } };

/** Whether an Origin (or Referer) URL is one of the site's own pages. */
export function isSiteUrl(value: string, site: SiteSnapshot): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    (url.protocol === 'https:' || url.protocol === 'http:') && site.hosts.includes(url.hostname)
  );
}

/** Finds the site by the request's host (404 if none) and answers CORS for the site's own origins only. */
export const siteContext = createMiddleware<ViewsEnv>(async (c, next) => {
  const host = new URL(c.req.url).hostname;
  const site = await findSite(c.env.SITE_CONFIG, host);
  if (!site) throw new ProblemError(404, `no site is configured for host ${host}`);
  c.set('site', site);
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
  c.header('vary', 'Origin');
  if (allowed) c.header('access-control-allow-origin', origin);
});

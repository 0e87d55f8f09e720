import { createMiddleware } from 'hono/factory';
import { ProblemError } from '../errors/problem.ts';
import { requestUrl } from '../request-url.ts';
import { findSite, type KvReader } from './site-directory.ts';
import type { SiteSnapshot } from './snapshot.ts';

/** The variables `siteFromHost` sets: the site the request's host name belongs to. */
export type SiteVariables = { site: SiteSnapshot };

/** The site a host name belongs to (through `findSite`'s bounded cache), or a 404 that says what to do. */
async function siteForHost(
  kv: KvReader,
  host: string,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<SiteSnapshot> {
  const site = await findSite(kv, host, { waitUntil });
  if (!site) {
    throw new ProblemError(
      404,
      `no site is configured for host ${host}; add one with: npx wp-edge sites add`,
    );
  }
  return site;
}

/**
 * The middleware `createWorkerApp` runs before a site's routes: finds the site for the
 * request's host name (404 when none) and puts it on `c.var.site`; the isolate's copy is
 * renewed through the request's `waitUntil`.
 * @example
 * app.use(except(HEALTH_PATH, siteFromHost()));
 */
export function siteFromHost() {
  return createMiddleware<{ Bindings: { SITE_CONFIG: KvReader }; Variables: SiteVariables }>(
    async (c, next) => {
      const waitUntil = (promise: Promise<unknown>) => c.executionCtx.waitUntil(promise);
      c.set(
        'site',
        await siteForHost(c.env.SITE_CONFIG, requestUrl(c.req.raw).hostname, waitUntil),
      );
      await next();
    },
  );
}

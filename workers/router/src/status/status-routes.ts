import { STATUS_PATH, STATUS_TOKEN_COOKIE } from '@wp-edge/core';
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import type { RouterEnv } from '../routing.ts';
import { siteStatus } from './site-status.ts';
import { requireStatusAccess } from './status-access.ts';
import { statusPage } from './status-page.ts';

const TOKEN_COOKIE_SECONDS = 12 * 3600;
const PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The site's status page on its own host, `/__wp-edge/status` (HTML) and `.json` (what
 * `wp-edge status` reads), for holders of a token the CLI issued or of a Cloudflare Access
 * JWT. Never cached, never indexed, refusals included. A token in the query is moved into
 * a cookie kept for the status page only, so it leaves the address bar and the history.
 */
export const statusRoutes = new Hono<RouterEnv>()
  .use('*', async (c, next) => {
    await next();
    c.res.headers.set('cache-control', 'no-store');
    c.res.headers.set('x-robots-tag', 'noindex, nofollow');
  })
  .get('/status', async (c) => {
    const { site } = c.var;
    const via = await requireStatusAccess(c, site);
    const token = c.req.query('token');
    if (via === 'token' && token) {
      setCookie(c, STATUS_TOKEN_COOKIE, token, {
        path: STATUS_PATH,
        secure: true,
        httpOnly: true,
        sameSite: 'Strict',
        maxAge: TOKEN_COOKIE_SECONDS,
      });
      return c.redirect(STATUS_PATH, 303);
    }
    const html = statusPage(await siteStatus(c.env, site));
    return c.html(html, 200, { 'content-security-policy': PAGE_POLICY });
  })
  .get('/status.json', async (c) => {
    const { site } = c.var;
    await requireStatusAccess(c, site);
    return c.json(await siteStatus(c.env, site));
  });

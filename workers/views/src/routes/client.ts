import { Hono } from 'hono';
import { CLIENT_SCRIPT } from '../client/client-script.ts';
import type { ViewsEnv } from '../site-context.ts';

/** Where the client script is served; it is the same for every site, so it needs none. */
export const CLIENT_SCRIPT_PATH = '/api/views/client.js';

/** Serves the client script; it changes only with a deploy, so browsers may keep it an hour. */
export const clientRoutes = new Hono<ViewsEnv>().get('/client.js', (c) =>
  c.body(CLIENT_SCRIPT, 200, {
    'content-type': 'text/javascript; charset=utf-8',
    'cache-control': 'public, max-age=3600',
  }),
);

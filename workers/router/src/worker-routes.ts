import { Hono } from 'hono';
import { sitePath } from './site-path.ts';

type RouterEnv = { Bindings: Env };

/**
 * The request as the Worker behind the router must see it: at the resolved path (its own
 * routes know only the plain one), or at `path` when a PHP script's trailing path is dropped.
 */
function resolved(request: Request, path?: string): Request {
  const url = new URL(request.url);
  url.pathname = path ?? sitePath(url);
  return new Request(url, request);
}

/**
 * The paths other wp-edge Workers own, handed to them over service bindings at the path the
 * router resolved (a node's web server would run `/wp-comments-post.php/x` as the comment
 * form too): the comment form and comments API, page views and the random image API.
 */
export const workerRoutes = new Hono<RouterEnv>()
  .post('/wp-comments-post.php', (c) => c.env.COMMENTS.fetch(resolved(c.req.raw)))
  .post('/wp-comments-post.php/*', (c) =>
    c.env.COMMENTS.fetch(resolved(c.req.raw, '/wp-comments-post.php')),
  )
  .all('/api/comments', (c) => c.env.COMMENTS.fetch(resolved(c.req.raw)))
  .all('/api/comments/*', (c) => c.env.COMMENTS.fetch(resolved(c.req.raw)))
  .all('/api/views', (c) => c.env.VIEWS.fetch(resolved(c.req.raw)))
  .all('/api/views/*', (c) => c.env.VIEWS.fetch(resolved(c.req.raw)))
  .all('/api/random-image', (c) => c.env.IMAGES.fetch(resolved(c.req.raw)))
  .all('/api/random-image/*', (c) => c.env.IMAGES.fetch(resolved(c.req.raw)));
